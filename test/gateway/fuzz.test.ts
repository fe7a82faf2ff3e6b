/**
 * Random and mutated frames against a running server: every frame gets a prediction or an error
 * frame, no socket is closed for anything but abuse, and the server keeps serving a bystander.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/ws-client.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  // A generous rate limit: this test is about malformed input, not floods.
  app = await startTestRuntime({ WS_RATE_PER_SECOND: '10000', WS_RATE_BURST: '10000' });
});
afterAll(async () => {
  await app?.dispose();
});

function prng(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const VALID: unknown[] = [
  { type: 'typing', seq: 1, text: 'roland td17' },
  { type: 'select', productId: 'x' },
  { type: 'ask', id: 'a', productId: 'x', question: 'how do I reset it?' },
  { type: 'resume', sessionId: 'abc' },
];
const WEIRD_VALUES: unknown[] = [
  null,
  true,
  -1,
  1.5,
  2 ** 64,
  '',
  '\u0000',
  '💥'.repeat(100),
  [],
  {},
  { nested: { deep: [1] } },
  'x'.repeat(300),
  NaN,
];

function mutate(random: () => number): string {
  const base = structuredClone(VALID[Math.floor(random() * VALID.length)]) as Record<string, unknown>;
  const keys = Object.keys(base);
  switch (Math.floor(random() * 6)) {
    case 0: // replace a field with a weird value
      base[keys[Math.floor(random() * keys.length)]!] = WEIRD_VALUES[Math.floor(random() * WEIRD_VALUES.length)];
      return JSON.stringify(base);
    case 1: // drop a field
      delete base[keys[Math.floor(random() * keys.length)]!];
      return JSON.stringify(base);
    case 2: // add an unknown field
      base.extra = 1;
      return JSON.stringify(base);
    case 3: {
      // truncate the JSON
      const text = JSON.stringify(base);
      return text.slice(0, Math.floor(random() * text.length));
    }
    case 4: // random bytes as text
      return Array.from({ length: Math.floor(random() * 200) }, () =>
        String.fromCharCode(Math.floor(random() * 0xffff)),
      ).join('');
    default: // a valid frame with random typing text
      return JSON.stringify({
        type: 'typing',
        seq: Math.floor(random() * 1e6),
        text: Array.from({ length: Math.floor(random() * 60) }, () =>
          String.fromCharCode(32 + Math.floor(random() * 2000)),
        ).join(''),
      });
  }
}

describe('protocol fuzz', () => {
  it('survives 2,000 random and mutated frames with an answer for each', async () => {
    const random = prng(20261129);
    const fuzzer = await TestClient.connect(app.wsUrl);
    await fuzzer.next('hello');
    const bystander = await TestClient.connect(app.wsUrl);
    await bystander.next('hello');

    const count = 2_000;
    for (let i = 0; i < count; i += 1) fuzzer.send(mutate(random));
    // Frames are handled in order: once a final keystroke with the highest possible seq is answered,
    // every fuzz frame before it has been handled (stale typing is dropped by design, without reply).
    fuzzer.send({ type: 'typing', seq: Number.MAX_SAFE_INTEGER, text: 'akai mpc' });
    await fuzzer.next('prediction', (p) => p.seq === Number.MAX_SAFE_INTEGER, 30_000);
    expect(fuzzer.closed).toBeUndefined();
    const errors = fuzzer.frames.filter((f) => f.type === 'error');
    expect(errors.length).toBeGreaterThan(count / 3);
    expect(
      errors.every((e) => e.type === 'error' && ['bad_request', 'not_found', 'unavailable'].includes(e.code)),
    ).toBe(true);
    expect(errors.some((e) => e.type === 'error' && e.code === 'internal')).toBe(false);

    bystander.send({ type: 'typing', seq: 1, text: 'paiste 2002 thin crash 18' });
    expect((await bystander.next('prediction')).items[0]?.name).toBe('Paiste 2002 Thin Crash 18" Cymbal');
    fuzzer.close();
    bystander.close();
  });
});
