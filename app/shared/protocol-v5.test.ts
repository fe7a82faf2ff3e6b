/**
 * Protocol v5 negotiation and downgrade: a socket that did not ask for v5 gets exactly the v4 frames,
 * never a v5 field, row or frame; the v5 schemas accept what a v5 socket is sent.
 */
import { describe, expect, it } from 'vitest';
import {
  AnswerDoneFrameV5,
  frameFor,
  negotiateProtocol,
  PredictionFrameV5,
  productItemOf,
  type PredictionRow,
  type ServerFrame,
} from './protocol.js';

const family: PredictionRow = {
  kind: 'family',
  familyId: 'roland-spd-30',
  brand: 'Roland',
  name: 'Roland SPD-30 Octapad',
  confidence: 0.82,
  hasManual: true,
  variants: [
    { productId: 'spd30-bk', label: 'Black', hasManual: false },
    { productId: 'spd30-wh', label: 'White', hasManual: true },
  ],
};

describe('negotiateProtocol', () => {
  it.each([
    ['/ws', 4],
    ['/ws?', 4],
    ['/ws?protocol=4', 4],
    ['/ws?protocol=5', 5],
    ['/ws?x=1&protocol=5', 5],
    ['/ws?protocol=9', 5],
    ['/ws?protocol=five', 4],
    ['/ws?protocol=5.5', 4],
    ['/ws?protocol=-5', 4],
    [undefined, 4],
  ] as const)('%s speaks %i', (url, version) => {
    expect(negotiateProtocol(url)).toBe(version);
  });
});

describe('frameFor v4', () => {
  it('never hands a v4 client a row it could select that is not a product', () => {
    expect(productItemOf(family)).toEqual({
      productId: 'spd30-wh',
      brand: 'Roland',
      name: 'Roland SPD-30 Octapad',
      confidence: 0.82,
    });
    expect(productItemOf({ kind: 'brand', brand: 'Roland', confidence: 0.9, families: 40 })).toBeUndefined();
    expect(
      productItemOf({ kind: 'product', productId: 'p', brand: 'B', name: 'N', confidence: 0.5, hasManual: false }),
    ).toEqual({ productId: 'p', brand: 'B', name: 'N', confidence: 0.5 });
  });

  it('leaves out the frames v4 has not got and strips every v5 field', () => {
    expect(frameFor(4, { type: 'session', sessionId: 's' })).toBeUndefined();
    expect(
      frameFor(4, {
        type: 'turn',
        phase: 'asked',
        turn: { id: 'a', productId: 'p', question: 'q', answer: '', citations: [], outcome: 'ok' },
      }),
    ).toBeUndefined();
    const done: ServerFrame = {
      type: 'answer_done',
      id: 'a',
      citations: [{ page: 3, snippet: 's' }],
      confidence: 'closest',
      structure: { intro: 'To reset:', steps: [{ text: 'Press X.', page: 3 }], cautions: [] },
      context: { id: 'q0', question: 'how do I reset it?' },
      support: { email: 'help@example.com' },
    };
    expect(frameFor(4, done)).toEqual({ type: 'answer_done', id: 'a', citations: [{ page: 3, snippet: 's' }] });
    expect(frameFor(5, done)).toBe(done);
    const manual: ServerFrame = {
      type: 'manual',
      productId: 'p',
      status: 'queued',
      progress: 0,
      retryInMs: 5000,
      queuedReason: 'cooldown',
    };
    expect(frameFor(4, manual)).toEqual({
      type: 'manual',
      productId: 'p',
      status: 'queued',
      progress: 0,
      retryInMs: 5000,
    });
    expect(frameFor(4, { type: 'hello', sessionId: 's', protocol: 5 })).toEqual({
      type: 'hello',
      sessionId: 's',
      protocol: 4,
    });
    expect(frameFor(4, { type: 'error', code: 'not_found', message: 'm', reason: 'erased' })).toEqual({
      type: 'error',
      code: 'not_found',
      message: 'm',
    });
    expect(
      frameFor(4, {
        type: 'history',
        more: true,
        turns: [
          {
            id: 'a',
            productId: 'p',
            question: 'q',
            answer: 'x',
            citations: [],
            outcome: 'ok',
            confidence: 'confident',
          },
        ],
      }),
    ).toEqual({
      type: 'history',
      turns: [{ id: 'a', productId: 'p', question: 'q', answer: 'x', citations: [], outcome: 'ok' }],
    });
  });
});

describe('v5 schemas', () => {
  it('accept a prediction with all three row kinds and a not-found verdict, and refuse a row without its kind', () => {
    const frame = {
      type: 'prediction',
      seq: 3,
      items: [family, { kind: 'brand', brand: 'Roland', confidence: 0.4, families: 12 }],
      notFound: { uncarriedBrand: 'Yamaha', closestBrands: ['Roland', 'Korg'] },
    };
    expect(PredictionFrameV5.safeParse(frame).success).toBe(true);
    expect(PredictionFrameV5.safeParse({ ...frame, items: [{ ...family, kind: undefined }] }).success).toBe(false);
    expect(PredictionFrameV5.safeParse({ ...frame, items: [{ ...family, variants: [] }] }).success).toBe(false);
  });

  it('accept a structured answer and refuse an unknown confidence or caution kind', () => {
    const done = {
      type: 'answer_done',
      id: 'a',
      citations: [{ page: 4, snippet: 'Hold SHIFT' }],
      confidence: 'confident',
      structure: {
        intro: 'To restore the factory settings:',
        steps: [{ text: 'Hold SHIFT.', page: 4, marker: '1.' }],
        cautions: [{ kind: 'warning', text: 'Everything is erased.', page: 4 }],
      },
    };
    expect(AnswerDoneFrameV5.safeParse(done).success).toBe(true);
    expect(AnswerDoneFrameV5.safeParse({ ...done, confidence: 'sure' }).success).toBe(false);
    expect(
      AnswerDoneFrameV5.safeParse({
        ...done,
        structure: { ...done.structure, cautions: [{ kind: 'hint', text: 'x', page: 1 }] },
      }).success,
    ).toBe(false);
  });
});
