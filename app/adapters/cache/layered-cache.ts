/**
 * Two cache layers in front of an expensive computation: L1 an in-process LRU, L2 the shared
 * key-value store (Redis in production), then compute. Keys must carry the version of what they are
 * derived from (a manual's content hash), so a changed source can never be served stale.
 * Concurrent misses for one key share one computation.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Instruments } from '../../shared/telemetry/registry.js';
import type { KeyValue } from './kv.js';

export interface LayeredCacheOptions {
  /** Names the cache in metrics (`cache` label) and in L2 keys. */
  name: string;
  kv: KeyValue;
  l1Entries?: number;
  l2TtlSeconds?: number;
  metrics?: Instruments;
  log?: Logger;
}

export class LayeredCache<T> {
  private readonly l1: LRUCache<string, { value: T }>;
  private readonly inflight = new Map<string, Promise<T>>();

  constructor(private readonly options: LayeredCacheOptions) {
    this.l1 = new LRUCache({ max: options.l1Entries ?? 1_000 });
  }

  private count(layer: 'l1' | 'l2', hit: boolean) {
    const counter = hit ? this.options.metrics?.cacheHitsTotal : this.options.metrics?.cacheMissesTotal;
    counter?.inc({ cache: this.options.name, layer });
  }

  /** The cached value, or undefined on a miss in both layers (counted). */
  async peek(key: string): Promise<T | undefined> {
    const local = this.l1.get(key);
    this.count('l1', local !== undefined);
    if (local) return local.value;
    let raw: string | null = null;
    try {
      raw = await this.options.kv.get(`cache:${this.options.name}:${key}`);
    } catch (error) {
      // L2 down costs warmth, not correctness.
      this.options.log?.warn({ err: error, cache: this.options.name }, 'L2 cache read failed');
    }
    this.count('l2', raw !== null);
    if (raw === null) return undefined;
    const value = JSON.parse(raw) as T;
    this.l1.set(key, { value });
    return value;
  }

  async set(key: string, value: T): Promise<void> {
    this.l1.set(key, { value });
    try {
      await this.options.kv.set(
        `cache:${this.options.name}:${key}`,
        JSON.stringify(value),
        this.options.l2TtlSeconds ?? 24 * 3600,
      );
    } catch (error) {
      this.options.log?.warn({ err: error, cache: this.options.name }, 'L2 cache write failed');
    }
  }

  async getOrCompute(key: string, compute: () => Promise<T>): Promise<T> {
    const cached = await this.peek(key);
    if (cached !== undefined) return cached;
    const running = this.inflight.get(key);
    if (running) return running;
    const computation = compute()
      .then(async (value) => {
        await this.set(key, value);
        return value;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, computation);
    return computation;
  }
}
