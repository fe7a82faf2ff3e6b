/**
 * parseClientFrame checks keystrokes by hand (the hot path) and everything else with the zod schema:
 * both must give the same verdict and the same frame, for valid and for hostile typing frames.
 */
import { describe, expect, it } from 'vitest';
import { ClientFrame, MAX_TYPING_TEXT, parseClientFrame } from './protocol.js';

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
