import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand, startRedis, type RedisInstance } from '../../../test/harness/index.js';
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

  function open(url = redis.url): { bus: Bus; subscriber: Redis; errors: string[] } {
    const config = { kind: 'url' as const, url, password: undefined };
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

  // ioredis resubscribes what its last ready connection had, including a channel whose UNSUBSCRIBE the
  // outage failed: the server kept sending its messages to nobody, and the customer's `void stop()` got
  // an unhandled rejection.
  it('leaves a channel whose unsubscribe failed while Redis was down once Redis is back', async () => {
    const own = await startRedis({ name: 'bus-outage' });
    try {
      const { bus, subscriber } = open(own.url);
      const received: unknown[] = [];
      await bus.subscribe('kept', (m) => received.push(m));
      const stopGone = await bus.subscribe('gone', () => undefined);
      await own.kill('SIGKILL');
      await new Promise((resolve) => subscriber.once('reconnecting', resolve));
      await expect(stopGone()).resolves.toBeUndefined();
      const back = await startRedis({ name: 'bus-outage', port: own.port });
      try {
        await new Promise((resolve) => subscriber.once('ready', resolve));
        await expect.poll(() => redisCommand(back.host, back.port, 'PUBSUB', 'CHANNELS')).toEqual(['kept']);
        await bus.publish('kept', 1);
        await expect.poll(() => received).toEqual([1]);
      } finally {
        await back.stop();
      }
    } finally {
      await own.stop();
    }
  });
});
