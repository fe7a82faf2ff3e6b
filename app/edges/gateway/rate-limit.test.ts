import { describe, expect, it } from 'vitest';
import { type Admission, TokenBucket } from './rate-limit.js';

function clockedBucket(rate: number, burst: number) {
  let now = 0;
  const bucket = new TokenBucket(rate, burst, () => now);
  return { bucket, advance: (ms: number) => (now += ms) };
}

/** Sends at a steady `perSecond` for up to `seconds`; returns what happened and when it was closed. */
function sustain(bucket: TokenBucket, advance: (ms: number) => number, perSecond: number, seconds: number) {
  const seen: Admission[] = [];
  for (let i = 0; i < perSecond * seconds; i += 1) {
    const admission = bucket.take();
    seen.push(admission);
    if (admission === 'close') return { seen, closedAtSeconds: i / perSecond };
    advance(1000 / perSecond);
  }
  return { seen, closedAtSeconds: undefined };
}

describe('TokenBucket', () => {
  it('never limits a client sending 40 frames/s for ten minutes at the default 50/s, burst 100', () => {
    const { bucket, advance } = clockedBucket(50, 100);
    expect(new Set(sustain(bucket, advance, 40, 600).seen)).toEqual(new Set(['allow']));
  });

  it('never limits a typist who pastes a burst now and then and otherwise types at 40/s', () => {
    const { bucket, advance } = clockedBucket(50, 100);
    const seen = new Set<Admission>();
    for (let minute = 0; minute < 10; minute += 1) {
      for (let i = 0; i < 60; i += 1) seen.add(bucket.take()); // a paste: 60 frames at once
      for (const admission of sustain(bucket, advance, 40, 60).seen) seen.add(admission);
    }
    expect([...seen]).toEqual(['allow']);
  });

  it('tells a flood once, drops, then closes after another burst', () => {
    const { bucket } = clockedBucket(50, 100);
    const results = Array.from({ length: 250 }, () => bucket.take());
    expect(results.slice(0, 100).every((r) => r === 'allow')).toBe(true);
    expect(results[100]).toBe('limit');
    expect(results.slice(101, 200).every((r) => r === 'drop')).toBe(true);
    expect(results[201]).toBe('close');
  });

  // Issue 12 finding 5: at 1,000 frames/s the client was told 495 times and never closed, because every
  // frame admitted by the refill reset the count of dropped ones.
  it.each([51, 55, 60, 75, 100, 200, 1_000, 5_000])('closes a sustained flood of %i frames/s (limit 50/s)', (rate) => {
    const { bucket, advance } = clockedBucket(50, 100);
    // Worst case: the bucket drains at (rate - 50)/s, then another 100 frames are dropped at that pace.
    const budgetSeconds = (2 * 100) / (rate - 50) + 1;
    const { seen, closedAtSeconds } = sustain(bucket, advance, rate, budgetSeconds);
    expect(closedAtSeconds).toBeDefined();
    expect(closedAtSeconds!).toBeLessThanOrEqual(budgetSeconds);
    expect(seen.filter((a) => a === 'limit')).toHaveLength(1); // told once, not hundreds of times
  });

  it('recovers after the client slows down long enough to refill the bucket', () => {
    const { bucket, advance } = clockedBucket(50, 100);
    for (let i = 0; i < 150; i += 1) bucket.take();
    advance(2_000);
    expect(bucket.take()).toBe('allow');
    // A new flood after the refill is a new flood: told again, with a whole burst of drops before closing.
    for (let i = 0; i < 99; i += 1) bucket.take();
    expect(bucket.take()).toBe('limit');
  });
});
