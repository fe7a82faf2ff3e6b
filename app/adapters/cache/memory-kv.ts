import { LRUCache } from 'lru-cache';
import type { KeyValue } from './kv.js';

/** Bounded, so an embedded instance cannot grow without limit; expiry is checked on read. */
export function createMemoryKv(maxEntries = 100_000): KeyValue {
  const entries = new LRUCache<string, string>({ max: maxEntries, ttlAutopurge: false });
  return {
    async get(key) {
      return entries.get(key) ?? null;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, value, { ttl: ttlSeconds * 1000 });
    },
    async delete(key) {
      entries.delete(key);
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}
