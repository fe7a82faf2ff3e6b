/**
 * The test harness: real services for tests, on free loopback ports, in temporary directories,
 * stopped after. It never touches the machine's own Postgres or Redis, and when a binary is missing
 * it says which Debian package brings it.
 *
 *   const redis = await startRedis();            // redis.url
 *   const pg = await startPostgres();            // pg.url, pg.createDatabase('x')
 *   const replica = await startPostgresReplica(pg);
 *   ... await Promise.all([redis.stop(), replica.stop(), pg.stop()]);
 */
export { requireBinary } from './binaries.js';
export { freePort, tempDir, waitFor, type TempDir } from './ports.js';
export { spawnService, type Service, type ServiceSpec } from './process.js';
export { startRedis, type RedisInstance } from './redis.js';
export { startPostgres, startPostgresReplica, type PostgresInstance } from './postgres.js';
