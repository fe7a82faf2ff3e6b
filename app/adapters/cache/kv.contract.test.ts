import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisInstance } from '../../../test/harness/index.js';
import { connectRedis } from '../redis/connect.js';
import type { KeyValue } from './kv.js';
import { createMemoryKv } from './memory-kv.js';
import { createRedisKv } from './redis-kv.js';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const adapters: Record<string, () => KeyValue> = {
  memory: () => createMemoryKv(),
  redis: () => createRedisKv(connectRedis({ kind: 'url', url: redis.url, password: undefined }, 'test')),
};

describe.each(Object.entries(adapters))('KeyValue contract: %s', (_name, open) => {
  let kv: KeyValue;
  beforeAll(() => {
    kv = open();
  });
  afterAll(async () => {
    await kv?.close();
  });

  it('stores, overwrites and deletes', async () => {
    expect(await kv.get('k')).toBeNull();
    await kv.set('k', 'v1', 60);
    await kv.set('k', 'v2', 60);
    expect(await kv.get('k')).toBe('v2');
    await kv.delete('k');
    expect(await kv.get('k')).toBeNull();
    await expect(kv.ping()).resolves.toBeUndefined();
  });

  it('expires entries after their TTL', async () => {
    await kv.set('short', 'x', 1);
    expect(await kv.get('short')).toBe('x');
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await kv.get('short')).toBeNull();
  });
});
