import { describe, expect, it } from 'vitest';
import { CircuitOpenError, createBreaker } from './breaker.js';

const failing = () => Promise.reject(new Error('upstream down'));

describe('createBreaker', () => {
  it('opens after repeated failures, fails fast while open, and closes after a good trial call', async () => {
    const breaker = createBreaker({
      name: 'llm',
      volumeThreshold: 3,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 200,
    });
    for (let i = 0; i < 3; i += 1) await expect(breaker.run(failing)).rejects.toThrow('upstream down');
    expect(breaker.opened).toBe(true);
    let called = false;
    await expect(breaker.run(async () => (called = true))).rejects.toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect(await breaker.run(async () => 'ok')).toBe('ok');
    expect(breaker.opened).toBe(false);
    breaker.shutdown();
  });

  it("does not count errors the caller marks as the caller's own", async () => {
    const notFound = Object.assign(new Error('404'), { permanent: true });
    const breaker = createBreaker({
      name: 'manuals',
      volumeThreshold: 2,
      ignore: (e) => (e as { permanent?: boolean }).permanent === true,
    });
    for (let i = 0; i < 5; i += 1) await expect(breaker.run(() => Promise.reject(notFound))).rejects.toThrow('404');
    expect(breaker.opened).toBe(false);
    breaker.shutdown();
  });
});
