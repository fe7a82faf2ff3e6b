import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type RedisInstance } from '../../../test/harness/index.js';
import { isDependencyDown } from '../../core/ports.js';
import { connectRedis } from './connect.js';
import { RedisReconnectError, subscriberCommand } from './subscriber.js';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('subscriberCommand', () => {
  it('classifies a command that failed while its connection was being re-established as a dependency down', async () => {
    // Nothing listens there: the connection never gets past reconnecting.
    const client = connectRedis(
      { kind: 'url', url: `redis://127.0.0.1:${await freePort()}`, password: undefined },
      'sub',
    );
    try {
      const error = await subscriberCommand(client, () => client.subscribe('c')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisReconnectError);
      expect((error as Error).cause).toMatchObject({ name: 'MaxRetriesPerRequestError' });
      expect(isDependencyDown(error)).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  it('leaves the error of a command refused on a steady connection alone', async () => {
    const client = new Redis(redis.url);
    try {
      await subscriberCommand(client, () => client.subscribe('c'));
      // Not valid in subscriber mode: a bug of the caller, not an outage.
      const error = await subscriberCommand(client, () => client.get('k')).catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(RedisReconnectError);
      expect((error as Error).message).toMatch(/subscriber mode/);
      expect(isDependencyDown(error)).toBe(false);
    } finally {
      client.disconnect();
    }
  });
});
