import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis } from '../../test/harness/index.js';
import { isDependencyDown } from './ports.js';
import { RedisReconnectError } from '../adapters/redis/subscriber.js';

describe('isDependencyDown', () => {
  it('recognises a dependency outage', () => {
    expect(
      isDependencyDown(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(isDependencyDown(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isDependencyDown(
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      ),
    ).toBe(true);
    expect(isDependencyDown(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
    expect(
      isDependencyDown(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })),
    ).toBe(true);
    expect(isDependencyDown(new Error('Query read timeout'))).toBe(true);
    expect(
      isDependencyDown(
        Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' }),
      ),
    ).toBe(true);
  });

  it('recognises a Redis command failed by its connection being re-established', () => {
    expect(isDependencyDown(new RedisReconnectError(new Error('Connection in subscriber mode')))).toBe(true);
    expect(isDependencyDown(new Error('Ready check failed: Connection in subscriber mode'))).toBe(true);
    expect(isDependencyDown(new Error('Command aborted due to connection close'))).toBe(true);
    expect(
      isDependencyDown(new Error('All sentinels are unreachable. Retrying from scratch after 200ms. Last error: x')),
    ).toBe(true);
  });

  it('recognises a full store: Redis out of memory (noeviction), Postgres out of disk or memory', async () => {
    const redis = await startRedis({ args: ['--maxmemory', '2mb', '--maxmemory-policy', 'noeviction'] });
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      let refused: unknown;
      for (let i = 0; i < 10_000 && refused === undefined; i += 1)
        await client.set(`k${i}`, 'x'.repeat(1024)).catch((error: unknown) => {
          refused = error;
        });
      expect(String(refused)).toMatch(/OOM/);
      expect(isDependencyDown(refused)).toBe(true);
    } finally {
      client.disconnect();
      await redis.stop();
    }
    expect(isDependencyDown(Object.assign(new Error('could not extend file'), { code: '53100' }))).toBe(true);
    expect(isDependencyDown(Object.assign(new Error('out of memory'), { code: '53200' }))).toBe(true);
  });

  it('leaves bugs and bad data alone', () => {
    expect(isDependencyDown(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isDependencyDown(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isDependencyDown('a string')).toBe(false);
    expect(isDependencyDown(null)).toBe(false);
  });
});
