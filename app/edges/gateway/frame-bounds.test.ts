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
} from '../../shared/protocol.js';
import { encodeFrame } from './frame-bounds.js';
import { historyPage } from './history-page.js';

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
  history: { type: 'history', turns: Array.from({ length: 500 }, (_, i) => turn(i)), more: true, page: true },
  session: { type: 'session', sessionId: 's'.repeat(100) },
  turn: {
    type: 'turn',
    phase: 'done',
    turn: {
      ...turn(0),
      answer: escaping,
      citations: Array.from({ length: 1_000 }, () => ({ page: 1, snippet: escaping })),
    },
  },
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

  it('keeps the newest history turns that fit, oldest first, and says older ones exist (v5 only)', () => {
    const turns = Array.from({ length: 100 }, (_, i) => turn(i));
    const page = historyPage(turns, { maxBytes: 64 * 1024 })!;
    const [json] = encodeFrame({ type: 'history', turns: page.turns, more: page.more });
    expect(Buffer.byteLength(json!)).toBeLessThanOrEqual(64 * 1024);
    const sent = JSON.parse(json!) as { turns: HistoryTurn[]; more?: boolean };
    expect(sent.turns.length).toBeGreaterThan(0);
    expect(sent.turns.at(-1)!.id).toBe('ask-99');
    expect(sent.turns.map((t) => t.id)).toEqual(turns.slice(100 - sent.turns.length).map((t) => t.id));
    expect(sent.more).toBe(true);
    // A v4 socket gets the same turns without `more` (what a v4 client saw before).
    const [v4] = encodeFrame({ type: 'history', turns: page.turns, more: page.more }, 4);
    expect(JSON.parse(v4!)).toEqual({ type: 'history', turns: sent.turns });
    // A history that fits is sent whole, with no `more`.
    expect(historyPage(turns.slice(0, 2), { maxBytes: 64 * 1024 })).toEqual({ turns: turns.slice(0, 2), more: false });
  });

  it('pages a history frame over its type bound the same way, and says `more`', () => {
    const [json] = encodeFrame(largest.history);
    const sent = JSON.parse(json!) as { turns: HistoryTurn[]; more?: boolean; page?: boolean };
    expect(sent.turns.at(-1)!.id).toBe('ask-499');
    expect(sent.turns.length).toBeLessThan(500);
    expect(sent).toMatchObject({ more: true, page: true });
  });
});
