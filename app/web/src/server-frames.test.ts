import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './server-frames.ts';

describe('server frames', () => {
  it('keeps the fetch progress a manual frame carries', () => {
    const frame = {
      type: 'manual',
      productId: 'roland_87-tr8s',
      status: 'fetching',
      progress: 0.5,
      bytes: 9040,
      totalBytes: 9040,
    };
    expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
  });

  it('ignores a manual frame whose sizes are not numbers, rather than showing garbage', () => {
    const frame = { type: 'manual', productId: 'p', status: 'fetching', progress: 0.1, bytes: '9 KB' };
    expect(parseServerFrame(JSON.stringify(frame))).toBeUndefined();
    expect(parseServerFrame(JSON.stringify({ ...frame, bytes: 1, pages: 'many' }))).toBeUndefined();
  });
});

describe('server frames: protocol v5', () => {
  // The shared zod-free checks (app/shared/server-frames.ts) and the server's zod schemas agree on v5 answer frames.
  const done = {
    type: 'answer_done',
    id: 'a',
    citations: [{ page: 4, snippet: 'Hold SHIFT' }],
    confidence: 'closest',
    structure: {
      intro: 'To restore:',
      steps: [{ text: 'Hold SHIFT.', page: 4, marker: 'Step 1' }],
      cautions: [{ kind: 'note', text: 'Projects are kept.', page: 4 }],
    },
    context: { id: 'q0', question: 'how do I reset it?' },
    support: { url: 'https://support.example/tr8s' },
  };
  const variants: [string, unknown][] = [
    ['valid', done],
    ['unknown confidence', { ...done, confidence: 'sure' }],
    ['step without page', { ...done, structure: { ...done.structure, steps: [{ text: 'x' }] } }],
    [
      'unknown caution kind',
      { ...done, structure: { ...done.structure, cautions: [{ kind: 'hint', text: 'x', page: 1 }] } },
    ],
    ['context without question', { ...done, context: { id: 'q0' } }],
  ];
  it.each(variants)('answer_done (%s): same verdict as the zod schema', async (_name, frame) => {
    const { AnswerDoneFrameV5 } = await import('../../shared/protocol.ts');
    expect(parseServerFrame(JSON.stringify(frame)) !== undefined).toBe(AnswerDoneFrameV5.safeParse(frame).success);
  });

  it('accepts the session and turn frames and a v5 hello without a session id, but not a v4 one', () => {
    expect(parseServerFrame(JSON.stringify({ type: 'session', sessionId: 's' }))).toBeDefined();
    const turn = { id: 'a', productId: 'p', question: 'q', answer: '', citations: [], outcome: 'ok' };
    expect(parseServerFrame(JSON.stringify({ type: 'turn', phase: 'asked', turn }))).toBeDefined();
    expect(parseServerFrame(JSON.stringify({ type: 'turn', phase: 'later', turn }))).toBeUndefined();
    expect(parseServerFrame(JSON.stringify({ type: 'hello', protocol: 5 }))).toBeDefined();
    expect(parseServerFrame(JSON.stringify({ type: 'hello', protocol: 4 }))).toBeUndefined();
  });

  it('keeps v5 rows as the zod schema reads them (brand, family, product) with the not-found verdict', async () => {
    const { PredictionFrameV5 } = await import('../../shared/protocol.ts');
    const product = { kind: 'product', productId: 'p', brand: 'B', name: 'N', confidence: 0.9, hasManual: true };
    const family = {
      kind: 'family',
      familyId: 'f',
      brand: 'B',
      name: 'Drum',
      confidence: 0.6,
      hasManual: true,
      variants: [
        { productId: 'f-red', label: 'Red', hasManual: false },
        { productId: 'f-black', label: 'Black', hasManual: true },
      ],
    };
    const brand = { kind: 'brand', brand: 'B', confidence: 0.5, families: 3 };
    const frame = { type: 'prediction', seq: 1, items: [brand, family, product] };
    expect(parseServerFrame(JSON.stringify(frame))).toEqual(PredictionFrameV5.parse(frame));
    const notFound = { type: 'prediction', seq: 2, items: [], notFound: { uncarriedBrand: 'Y', closestBrands: ['B'] } };
    expect(parseServerFrame(JSON.stringify(notFound))).toEqual(PredictionFrameV5.parse(notFound));
    expect(parseServerFrame(JSON.stringify({ ...frame, items: [{ ...family, variants: [] }] }))).toBeUndefined();
  });

  it("reads a v4 gateway's items as product rows, their manual unknown", () => {
    const item = { productId: 'p', brand: 'B', name: 'N', confidence: 0.9 };
    expect(parseServerFrame(JSON.stringify({ type: 'prediction', seq: 3, items: [item] }))).toEqual({
      type: 'prediction',
      seq: 3,
      items: [{ kind: 'product', ...item }],
    });
  });

  it('keeps the product contact a v5 manual frame carries', () => {
    const frame = {
      type: 'manual',
      productId: 'p',
      status: 'ready',
      progress: 1,
      support: { url: 'https://s.example' },
    };
    expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
  });

  it('keeps a queued manual with its v5 reason, and drops an unknown reason', () => {
    const frame = { type: 'manual', productId: 'p', status: 'queued', progress: 0, queuedReason: 'fair_share' };
    expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
    expect(parseServerFrame(JSON.stringify({ ...frame, queuedReason: 'bored' }))).toBeUndefined();
  });
});
