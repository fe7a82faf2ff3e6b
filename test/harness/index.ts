/**
 * The test harness: real services for tests, on free loopback ports, in temporary directories, stopped
 * after. It never touches the machine's own Postgres (5432) or Redis (6379), and when a binary is
 * missing it throws naming the Debian package (`redis-server not found: apt-get install -y redis-server`).
 *
 *   const redis = await startRedis();                  // redis.url, redis.kill('SIGKILL')
 *   const cluster = await startRedisSentinel();        // 1 master + 2 replicas + 3 sentinels (quorum 2)
 *   await cluster.master.kill(); await cluster.waitForFailover(cluster.master);
 *   const pg = await startPostgres();                  // pg.url, await pg.createDatabase('app')
 *   const replica = await startPostgresReplica(pg);    // streaming; replica.promote()
 *   const prom = await startPrometheus({ config, ruleFiles: { 'rules.yml': text } });
 *   const { code, stdout } = await promtool(['check', 'rules', file]);
 *   const browser = await launchChromium();
 *   ... then stop() each (browser.close()). What a failed test leaves is cleaned anyway: an exit hook
 *   (exit, SIGINT, SIGTERM, SIGHUP) kills services and removes temp dirs, and each service carries a
 *   parent-death signal (setpriv) so even a SIGKILLed test process leaves no server running.
 *
 * To run your own rendered config files (redis.conf, sentinel.conf, postgresql.conf), use the primitives:
 * freePort(), tempDir() / postgresTempDir(), initPostgresDataDir(), requireBinary() and spawnService()
 * (log file in its dir, last lines quoted when the start fails, stop/kill, no orphans), plus waitFor().
 * Command-line flags override a redis config file (`redis-server conf --port N`); postgres takes
 * `-c name=value`. As root, postgres binaries run as the `postgres` OS user: see postgres.ts.
 */
export { requireBinary, testPackages } from './binaries.js';
export { onProcessExit } from './cleanup.js';
export { freePort } from './ports.js';
export { tempDir, type TempDir } from './temp.js';
export { CertificateDir } from './tls.js';
export { waitFor, type WaitOptions } from './wait.js';
export { spawnService, type Service, type ServiceSpec } from './process.js';
export { redisCommand, redisInfo, redisPing, startRedis, type RedisInstance, type RedisOptions } from './redis.js';
export {
  startRedisSentinel,
  type RedisAddress,
  type SentinelCluster,
  type SentinelClusterOptions,
} from './sentinel.js';
export {
  initPostgresDataDir,
  postgresOsUser,
  postgresTempDir,
  startPostgres,
  startPostgresReplica,
  type OsUser,
  type PostgresInstance,
  type PostgresOptions,
} from './postgres.js';
export {
  promtool,
  startPrometheus,
  type PrometheusInstance,
  type PrometheusOptions,
  type PromtoolResult,
} from './prometheus.js';
export { launchChromium } from './chromium.js';
