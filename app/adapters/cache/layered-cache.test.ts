import { describe, expect, it } from 'vitest';
import { createTelemetry } from '../../shared/telemetry/registry.js';
import { LayeredCache } from './layered-cache.js';
import { createMemoryKv } from './memory-kv.js';

async function counter(telemetry: ReturnType<typeof createTelemetry>, name: string) {
  const metric = await telemetry.registry.getSingleMetric(name)!.get();
  return Object.fromEntries(metric.values.map((v) => [`${v.labels.cache}/${v.labels.layer}`, v.value]));
}

describe('LayeredCache', () => {
  it('serves L1, then L2 after a restart of L1, then computes; counting each layer', async () => {
    const telemetry = createTelemetry({ defaultMetrics: false });
    const kv = createMemoryKv();
    let computed = 0;
    const compute = async () => ({ answer: `v${++computed}` });
    const first = new LayeredCache<{ answer: string }>({ name: 'answers', kv, metrics: telemetry.m });
    expect(await first.getOrCompute('m1:h1:reset', compute)).toEqual({ answer: 'v1' });
    expect(await first.getOrCompute('m1:h1:reset', compute)).toEqual({ answer: 'v1' });
    // A second instance (another pod) shares L2 but not L1.
    const second = new LayeredCache<{ answer: string }>({ name: 'answers', kv, metrics: telemetry.m });
    expect(await second.getOrCompute('m1:h1:reset', compute)).toEqual({ answer: 'v1' });
    expect(computed).toBe(1);
    expect(await counter(telemetry, 'cache_hits_total')).toEqual({ 'answers/l1': 1, 'answers/l2': 1 });
    expect(await counter(telemetry, 'cache_misses_total')).toEqual({ 'answers/l1': 2, 'answers/l2': 1 });
  });

  it('shares one computation between concurrent misses', async () => {
    const cache = new LayeredCache<number>({ name: 'x', kv: createMemoryKv() });
    let runs = 0;
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++runs), 20));
    const values = await Promise.all([
      cache.getOrCompute('k', slow),
      cache.getOrCompute('k', slow),
      cache.getOrCompute('k', slow),
    ]);
    expect(values).toEqual([1, 1, 1]);
    expect(runs).toBe(1);
  });

  it('evicts the least recently used entry from L1 at its bound', async () => {
    const kv = createMemoryKv();
    const cache = new LayeredCache<number>({ name: 'lru', kv, l1Entries: 2 });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.set('c', 3);
    await kv.delete('cache:lru:a'); // so only L1 could still answer for "a"
    expect(await cache.peek('a')).toBeUndefined();
    expect(await cache.peek('c')).toBe(3);
  });

  it('keeps answering when L2 is down', async () => {
    const broken = {
      ...createMemoryKv(),
      get: async () => Promise.reject(new Error('down')),
      set: async () => Promise.reject(new Error('down')),
    };
    const cache = new LayeredCache<number>({ name: 'down', kv: broken });
    expect(await cache.getOrCompute('k', async () => 7)).toBe(7);
    expect(await cache.getOrCompute('k', async () => 8)).toBe(7);
  });
});
