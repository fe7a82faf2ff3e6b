import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { requireBinary, startPostgres, startPostgresReplica, startRedis } from './index.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('harness', () => {
  it('names the Debian package of a missing binary', () => {
    expect(() => requireBinary('no-such-server', 'no-such-package')).toThrow('no-such-server not found: apt-get install -y no-such-package');
  });

  it('starts a private redis-server', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    expect(redis.port).not.toBe(6379);
    const client = new Redis(redis.url);
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    client.disconnect();
  });

  it('starts a postgres primary and a streaming replica that serves its writes', async () => {
    const primary = await startPostgres();
    const replica = await startPostgresReplica(primary);
    cleanups.push(() => primary.stop(), () => replica.stop());
    expect(primary.port).not.toBe(5432);
    await primary.query('CREATE TABLE t (v text)');
    await primary.query("INSERT INTO t VALUES ('written on the primary')");
    await expect.poll(async () => (await replica.query<{ v: string }>('SELECT v FROM t').catch(() => []))[0]?.v, { timeout: 10_000 }).toBe('written on the primary');
    expect((await replica.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'))[0]?.r).toBe(true);
    await expect(replica.query('INSERT INTO t VALUES ($1)', ['x'])).rejects.toThrow(/read-only/);
  });
});
