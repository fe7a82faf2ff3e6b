import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    const middle = () => 0.5; // no jitter offset
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, DEFAULT_BACKOFF, middle))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(backoffDelay(1_000, DEFAULT_BACKOFF, middle)).toBe(10_000);
  });

  it('spreads each step by ±jitter', () => {
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0)).toBe(500);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0.999_999)).toBe(1500);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(3)));
    expect(seen.size).toBeGreaterThan(10);
    for (const delay of seen) {
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(3000);
    }
  });
});
