import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limit.js';

function clockedBucket(rate: number, burst: number) {
  let now = 0;
  const bucket = new TokenBucket(rate, burst, () => now);
  return { bucket, advance: (ms: number) => (now += ms) };
}

describe('TokenBucket', () => {
  it('never limits a client sending 40 frames/s for a minute at the default 50/s, burst 100', () => {
    const { bucket, advance } = clockedBucket(50, 100);
    const results = new Set<string>();
    for (let i = 0; i < 40 * 60; i += 1) {
      results.add(bucket.take());
      advance(25);
    }
    expect([...results]).toEqual(['allow']);
  });

  it('tells a flood once, drops, then closes after another burst', () => {
    const { bucket } = clockedBucket(50, 100);
    const results = Array.from({ length: 250 }, () => bucket.take());
    expect(results.slice(0, 100).every((r) => r === 'allow')).toBe(true);
    expect(results[100]).toBe('limit');
    expect(results.slice(101, 200).every((r) => r === 'drop')).toBe(true);
    expect(results[201]).toBe('close');
  });

  it('recovers after the client slows down', () => {
    const { bucket, advance } = clockedBucket(50, 100);
    for (let i = 0; i < 150; i += 1) bucket.take();
    advance(1_000);
    expect(bucket.take()).toBe('allow');
  });
});
