/**
 * parseClientFrame checks keystrokes by hand (the hot path) and everything else with the zod schema:
 * both must give the same verdict and the same frame, for valid and for hostile typing frames.
 */
import { describe, expect, it } from 'vitest';
import {
  ClientFrame,
  isSafeLine,
  MAX_TYPING_TEXT,
  type NotFound,
  PredictionFrameV4,
  PredictionFrameV5,
  type PredictionRow,
  parseClientFrame,
  predictionJson,
  productItemOf,
  safeString,
  serializePrediction,
} from './protocol.js';

const typingFrames: unknown[] = [
  { type: 'typing', seq: 0, text: '' },
  { type: 'typing', seq: 1, text: 'roland td17' },
  { text: 'key order', seq: 2, type: 'typing' },
  { type: 'typing', seq: 3, text: 'two\nlines\tand tab' },
  { type: 'typing', seq: 4, text: 'x'.repeat(MAX_TYPING_TEXT) },
  { type: 'typing', seq: 5, text: 'x'.repeat(MAX_TYPING_TEXT + 1) },
  { type: 'typing', seq: 6, text: 'nul\u0000' },
  { type: 'typing', seq: 7, text: 'del\u007f' },
  { type: 'typing', seq: 8, text: 'c1\u0085' },
  { type: 'typing', seq: 9, text: 'lone \ud800 surrogate' },
  { type: 'typing', seq: 10, text: 'pair \ud83c\udfb9 ok' },
  { type: 'typing', seq: -1, text: 'negative' },
  { type: 'typing', seq: 1.5, text: 'fraction' },
  { type: 'typing', seq: Number.MAX_SAFE_INTEGER, text: 'max' },
  { type: 'typing', seq: Number.MAX_SAFE_INTEGER + 1, text: 'past max' },
  { type: 'typing', seq: '1', text: 'string seq' },
  { type: 'typing', seq: 1, text: 5 },
  { type: 'typing', seq: 1 },
  { type: 'typing', text: 'no seq' },
  { type: 'typing', seq: 1, text: 'extra', id: 'x' },
  { type: 'typing', seq: 1, text: null },
];

describe('isSafeLine', () => {
  it('accepts exactly the strings a one-line safeString accepts, for every UTF-16 code unit', () => {
    const line = safeString({ max: 10 });
    let rejected = 0;
    for (let unit = 0; unit <= 0xffff; unit++) {
      const char = String.fromCharCode(unit);
      for (const s of [char, `a${char}b`]) {
        const safe = line.safeParse(s).success;
        if (!safe) rejected += 1;
        if (isSafeLine(s) !== safe) expect({ unit, isSafeLine: isSafeLine(s) }).toEqual({ unit, isSafeLine: safe });
      }
    }
    // The controls, tab and line breaks, and the 2,048 surrogates (alone, and between letters).
    expect(rejected).toBe(2 * (65 + 2_048));
    // A pair is one character, not two lone halves.
    expect(isSafeLine('\ud83c\udfb9')).toBe(line.safeParse('\ud83c\udfb9').success);
    expect(isSafeLine('\ud83c\udfb9')).toBe(true);
  });
});

describe('parseClientFrame', () => {
  it.each(typingFrames.map((frame) => [JSON.stringify(frame), frame]))(
    'gives a typing frame the schema verdict: %s',
    (raw, frame) => {
      const expected = ClientFrame.safeParse(frame);
      const parsed = parseClientFrame(raw as string);
      expect(parsed.ok).toBe(expected.success);
      if (parsed.ok && expected.success) expect(parsed.frame).toEqual(expected.data);
    },
  );

  it('refuses a __proto__ key on a keystroke, as the schema does', () => {
    const raw = '{"type":"typing","seq":1,"text":"x","__proto__":{"polluted":true}}';
    expect(parseClientFrame(raw).ok).toBe(ClientFrame.safeParse(JSON.parse(raw)).success);
    expect(parseClientFrame(raw).ok).toBe(false);
  });

  it('still words the error of a refused keystroke and keeps an ask frame ref', () => {
    expect(parseClientFrame('{"type":"typing","seq":-1,"text":"x"}')).toMatchObject({ ok: false, message: /^seq: / });
    expect(parseClientFrame('{"type":"ask","id":"q1","productId":"p"}')).toMatchObject({ ok: false, ref: 'q1' });
  });
});

describe('serializePrediction', () => {
  // Strings JSON must escape (quotes, backslashes, a line separator, astral characters, markup).
  const hostile = 'Say "hi" \\ \u2028 </script> \ud83c\udfb9';
  const rows: PredictionRow[] = [
    { kind: 'product', productId: 'roland_87-tr8s', brand: 'Roland', name: 'TR-8S', confidence: 0.97, hasManual: true },
    {
      kind: 'family',
      familyId: 'fam-1',
      brand: hostile,
      name: hostile,
      confidence: 0.5,
      hasManual: true,
      variants: [
        { productId: 'v-1', label: 'Black', hasManual: false },
        { productId: 'v-2', label: hostile, hasManual: true },
      ],
    },
    { kind: 'brand', brand: 'Roland', confidence: 0.25, families: 12 },
  ];
  const notFound: NotFound = { uncarriedBrand: 'Korg', closestBrands: ['Roland', hostile] };
  const cases: [string, PredictionRow[], NotFound | undefined][] = [
    ['all three row kinds', rows, undefined],
    ['no rows, a not-found verdict', [], notFound],
    ['no rows at all', [], undefined],
  ];

  it.each(cases)('round-trips %s through both versions and their schemas', (_name, rows, notFound) => {
    const items = rows.flatMap((row) => productItemOf(row) ?? []);
    const json = predictionJson(items, rows, notFound);
    for (const seq of [0, 41, Number.MAX_SAFE_INTEGER]) {
      const v5 = serializePrediction(5, seq, json);
      const expectedV5: PredictionFrameV5 = { type: 'prediction', seq, items: rows, ...(notFound ? { notFound } : {}) };
      expect(PredictionFrameV5.parse(JSON.parse(v5))).toEqual(expectedV5);
      expect(v5).toBe(JSON.stringify(expectedV5));

      const v4 = serializePrediction(4, seq, json);
      const expectedV4: PredictionFrameV4 = { type: 'prediction', seq, items };
      expect(PredictionFrameV4.parse(JSON.parse(v4))).toEqual(expectedV4);
      expect(v4).toBe(JSON.stringify(expectedV4));
      // A v4 client never gets a row it cannot select, nor the v5 verdict.
      expect(PredictionFrameV4.safeParse(JSON.parse(v5)).success).toBe(rows.length === 0 && !notFound);
    }
  });

  it('gives v4 the selectable rows as products: a family as its first variant with a manual', () => {
    const items = rows.flatMap((row) => productItemOf(row) ?? []);
    const sent = PredictionFrameV4.parse(JSON.parse(serializePrediction(4, 1, predictionJson(items, rows))));
    expect(sent.items.map((item) => item.productId)).toEqual(['roland_87-tr8s', 'v-2']);
  });
});
