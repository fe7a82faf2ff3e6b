import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisInstance } from '../../../test/harness/index.js';
import { connectRedis } from '../redis/connect.js';
import type { Bus } from './bus.js';
import { createMemoryBus } from './memory-bus.js';
import { createRedisBus } from './redis-bus.js';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const adapters: Record<string, () => Bus> = {
  memory: () => createMemoryBus(),
  redis: () => {
    const config = { kind: 'url' as const, url: redis.url, password: undefined };
    return createRedisBus(connectRedis(config, 'pub'), connectRedis(config, 'sub'));
  },
};

describe.each(Object.entries(adapters))('Bus contract: %s', (_name, open) => {
  let bus: Bus;
  beforeAll(() => {
    bus = open();
  });
  afterAll(async () => {
    await bus?.close();
  });

  it('delivers a published message to every subscriber of its channel, as a copy', async () => {
    const received: unknown[] = [];
    const stopA = await bus.subscribe('manual:p1', (m) => received.push(['a', m]));
    const stopB = await bus.subscribe('manual:p1', (m) => received.push(['b', m]));
    const other = await bus.subscribe('manual:p2', (m) => received.push(['other', m]));
    const sent = { status: 'ready', progress: 1 };
    await bus.publish('manual:p1', sent);
    await expect.poll(() => received.length).toBe(2);
    expect(received).toEqual(
      expect.arrayContaining([
        ['a', sent],
        ['b', sent],
      ]),
    );
    expect((received[0] as [string, unknown])[1]).not.toBe(sent);
    await Promise.all([stopA(), stopB(), other()]);
  });

  it('stops delivering after unsubscribe', async () => {
    const received: unknown[] = [];
    const stop = await bus.subscribe('c', (m) => received.push(m));
    await stop();
    // A second subscriber proves the message was delivered while the first no longer listens.
    let probe: unknown;
    const stopProbe = await bus.subscribe('c', (m) => (probe = m));
    await bus.publish('c', { n: 1 });
    await expect.poll(() => probe).toEqual({ n: 1 });
    await stopProbe();
    expect(received).toEqual([]);
  });
});
