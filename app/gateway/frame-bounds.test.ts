/**
 * Issue #24 finding 1: every server frame type has a size bound, whatever the data behind it (a model's
 * answer, a manual's text, a long conversation). The samples below are the largest each type could get
 * from hostile or runaway input; the record is keyed by frame type, so a new type fails `tsc` here
 * until it has a sample and a bound.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_QUESTION_TEXT,
  SERVER_FRAME_MAX_BYTES,
  type HistoryTurn,
  type ManualFrameBody,
  type ServerFrame,
} from '../protocol.js';
import { encodeFrame, newestTurnsWithin } from './frame-bounds.js';

const huge = (n: number, unit = 'x') => unit.repeat(n);
/** Characters JSON escapes to six bytes each, and astral ones that must not be split in half. */
const escaping = `\u0001"\\${'😀'}`.repeat(50_000);

const manual: ManualFrameBody = {
  productId: 'p'.repeat(200),
  status: 'failed',
  progress: 0,
  error: huge(500_000),
};

const turn = (i: number): HistoryTurn => ({
  id: `ask-${i}`,
  thread: 't'.repeat(100),
  productId: 'p'.repeat(200),
  brand: 'Brand',
  name: 'Name',
  question: huge(MAX_QUESTION_TEXT, 'q'),
  answer: huge(20_000, 'a'),
  citations: [{ page: 1, snippet: huge(1_000) }],
  outcome: 'ok',
});

const largest: { [T in ServerFrame['type']]: Extract<ServerFrame, { type: T }> } = {
  hello: {
    type: 'hello',
    sessionId: 's'.repeat(100),
    protocol: 5,
    support: { url: `https://support.example.com/${huge(500)}`, email: 'help@example.com' },
    resumed: true,
    productId: 'p'.repeat(200),
    manual,
  },
  history: { type: 'history', turns: Array.from({ length: 500 }, (_, i) => turn(i)) },
  prediction: {
    type: 'prediction',
    seq: Number.MAX_SAFE_INTEGER,
    items: Array.from({ length: 20 }, (_, i) => ({
      productId: `${i}`.padEnd(200, 'p'),
      brand: huge(200),
      name: huge(500),
      confidence: 0.123456789,
    })),
  },
  manual: { type: 'manual', ...manual },
  answer_chunk: { type: 'answer_chunk', id: 'a'.repeat(100), text: escaping },
  answer_done: {
    type: 'answer_done',
    id: 'a'.repeat(100),
    citations: Array.from({ length: 1_000 }, (_, page) => ({ page, snippet: escaping.slice(0, 100_000) })),
  },
  error: { type: 'error', code: 'bad_request', message: escaping, ref: 'r'.repeat(100) },
  draining: { type: 'draining', reconnectWithinMs: 2_000 },
  heartbeat: { type: 'heartbeat', reply: true },
};

describe('server frame bounds', () => {
  it.each(Object.entries(largest))('keeps every %s frame within its bound', (type, frame) => {
    const texts = encodeFrame(frame as ServerFrame);
    expect(texts.length).toBeGreaterThan(0);
    for (const json of texts) {
      expect(Buffer.byteLength(json)).toBeLessThanOrEqual(SERVER_FRAME_MAX_BYTES[type as ServerFrame['type']]);
      expect(JSON.parse(json)).toMatchObject({ type });
    }
  });

  it('splits an answer chunk without losing or breaking a character', () => {
    const texts = encodeFrame(largest.answer_chunk);
    expect(texts.length).toBeGreaterThan(1);
    const joined = texts.map((t) => (JSON.parse(t) as { text: string }).text).join('');
    expect(joined).toBe(escaping);
  });

  it('keeps the newest history turns that fit, oldest first, and says how many were left out', () => {
    const turns = Array.from({ length: 100 }, (_, i) => turn(i));
    const [json] = encodeFrame({ type: 'history', turns }, 64 * 1024);
    expect(Buffer.byteLength(json!)).toBeLessThanOrEqual(64 * 1024);
    const sent = JSON.parse(json!) as { turns: HistoryTurn[]; omitted: number };
    expect(sent.turns.length).toBeGreaterThan(0);
    expect(sent.turns.at(-1)!.id).toBe('ask-99');
    expect(sent.turns.map((t) => t.id)).toEqual(turns.slice(100 - sent.turns.length).map((t) => t.id));
    expect(sent.omitted).toBe(100 - sent.turns.length);
    // A history that fits is sent whole, without `omitted` (what a v4 client saw before).
    expect(newestTurnsWithin(turns.slice(0, 2), 64 * 1024)).toEqual({ turns: turns.slice(0, 2), omitted: 0 });
  });
});
