import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisInstance } from '../../test/harness/index.js';
import { connectRedis } from '../redis/connect.js';
import type { Bus } from './bus.js';
import { createRedisBus } from './redis-bus.js';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('Redis bus across reconnects of its subscriber connection', () => {
  let bus: Bus | undefined;
  afterEach(async () => {
    await bus?.close();
    bus = undefined;
  });

  function open(): { bus: Bus; subscriber: Redis; errors: string[] } {
    const config = { kind: 'url' as const, url: redis.url, password: undefined };
    const subscriber = connectRedis(config, 'sub');
    const errors: string[] = [];
    subscriber.on('error', (error: Error) => errors.push(error.message));
    bus = createRedisBus(connectRedis(config, 'pub'), subscriber);
    return { bus, subscriber, errors };
  }

  // ioredis writes SUBSCRIBE at once while a new connection is still in its handshake; its reply put the
  // connection in subscriber mode before the ready check's INFO, which then failed and took every queued
  // command with it ("Connection in subscriber mode"): an ask during a Sentinel failover got `internal`.
  it('subscribes and unsubscribes during the handshake of a re-established connection', async () => {
    const { bus, subscriber, errors } = open();
    const received: unknown[] = [];
    await bus.subscribe('kept', (m) => received.push(['kept', m]));
    const stopLeaving = await bus.subscribe('leaving', (m) => received.push(['leaving', m]));
    for (let round = 0; round < 5; round++) {
      const inHandshake = new Promise<Promise<unknown>[]>((resolve) =>
        subscriber.once('connect', () => {
          expect(subscriber.status).toBe('connect');
          resolve([
            bus.subscribe(`joined-${round}`, (m) => received.push([`joined-${round}`, m])),
            round === 0 ? stopLeaving() : Promise.resolve(),
          ]);
        }),
      );
      subscriber.disconnect(true);
      await Promise.all(await inHandshake);
      await new Promise<void>((resolve) =>
        subscriber.status === 'ready' ? resolve() : subscriber.once('ready', resolve),
      );
    }
    expect(errors.filter((m) => /subscriber mode|Ready check/.test(m))).toEqual([]);
    await bus.publish('kept', 1);
    await bus.publish('leaving', 2);
    await bus.publish('joined-4', 3);
    await expect.poll(() => received.length).toBe(2);
    expect(received).toEqual([
      ['kept', 1],
      ['joined-4', 3],
    ]);
  });
});
