/**
 * The zod-free checks the browser runs (app/shared/server-frames.ts) against protocol.ts's zod schemas: the
 * same verdict on valid frames and on every mutation of each of their fields (a field removed, null, a
 * value of another type, out of range, too long, an array emptied or overfilled). Unknown fields are the
 * one difference, on purpose: a client ignores the optional fields a newer server adds.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { encodeFrame } from '../edges/gateway/frame-bounds.js';
import * as protocol from './protocol.js';
import { isServerFrame, parseServerFrame, shapes } from './server-frames.js';

const structure: protocol.AnswerStructure = {
  intro: 'To restore the factory settings:',
  steps: [
    { text: 'Hold SHIFT.', page: 4, marker: 'Step 1' },
    { text: 'Press TR-REC.', page: 4 },
  ],
  cautions: [{ kind: 'warning', text: 'Patterns are erased.', page: 5 }],
};
const part: protocol.AnswerPart = {
  question: 'and the display?',
  confidence: 'closest',
  citations: [{ page: 2, snippet: 'LCD' }],
  structure,
};
const meta: protocol.AnswerMeta = {
  confidence: 'confident',
  structure,
  context: { id: 'q0', question: 'how do I reset it?' },
  parts: [part],
  support: { url: 'https://support.example/tr8s', email: 'help@example.com' },
};
const product = { kind: 'product', productId: 'p1', brand: 'Roland', name: 'TR-8S', confidence: 0.9, hasManual: true };
const variant = { productId: 'v1', label: 'Black', hasManual: false };
const { productId: _selectable, ...named } = product;
const family = { ...named, kind: 'family', familyId: 'f1', variants: [variant] };
const brand = { kind: 'brand', brand: 'Roland', confidence: 0.4, families: 12 };
const notFound = { uncarriedBrand: 'Korg', closestBrands: ['Roland'] };
const item = { productId: 'p1', brand: 'Roland', name: 'TR-8S', confidence: 0.9 };

/** Each shape the browser checks, with a valid sample and the zod schema it must agree with. */
const samples: { [K in keyof typeof shapes]: unknown } = {
  PredictionItem: item,
  PredictionRow: family,
  Variant: variant,
  NotFound: notFound,
  AnswerStructure: structure,
  AnswerPart: part,
  AnswerMeta: meta,
  PredictionFrameV4: { type: 'prediction', seq: 3, items: [item, item] },
  PredictionFrameV5: { type: 'prediction', seq: 3, items: [product, family, brand], notFound },
  AnswerDoneFrameV5: { type: 'answer_done', id: 'a1', citations: [{ page: 1, snippet: 'x' }], ...meta },
};
const schemas = protocol as unknown as Record<keyof typeof shapes, z.ZodType>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every mutation of one field at a time, deep, each named by its path. */
function* mutations(value: Json, path = ''): Generator<[string, Json | undefined]> {
  const others: Json[] = [null, 'x', 7, -1, 1.5, 2, true, [], {}, 'y'.repeat(5_000)];
  for (const other of others)
    if (JSON.stringify(other) !== JSON.stringify(value))
      yield [`${path} = ${JSON.stringify(other).slice(0, 12)}`, other];
  if (Array.isArray(value)) {
    if (value.length > 0) yield [`${path} overfilled`, Array.from({ length: 61 }, () => value[0]!)];
    for (const [i, child] of value.entries())
      for (const [where, mutated] of mutations(child, `${path}[${i}]`))
        yield [where, value.map((c, j) => (j === i ? mutated : c)).filter((c) => c !== undefined) as Json];
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const { [key]: _removed, ...rest } = value;
      yield [`${path}.${key} removed`, rest];
      for (const [where, mutated] of mutations(value[key]!, `${path}.${key}`))
        yield [where, mutated === undefined ? rest : { ...rest, [key]: mutated }];
    }
  }
}

describe('the browser’s server-frame checks', () => {
  it.each(Object.keys(samples) as (keyof typeof shapes)[])('%s: same verdict as the zod schema', (name) => {
    const sample = samples[name] as Json;
    expect(schemas[name].safeParse(sample).success).toBe(true);
    expect(shapes[name](sample)).toBe(true);
    let compared = 0;
    for (const [where, mutated] of mutations(sample)) {
      expect({ where, verdict: shapes[name](mutated) }).toEqual({
        where,
        verdict: schemas[name].safeParse(mutated).success,
      });
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('accepts every frame type the gateway sends, at its largest, in both versions', () => {
    const huge = 'é"\\'.repeat(20_000);
    const manual: protocol.ManualFrameBody = {
      productId: 'p',
      status: 'queued',
      progress: 0,
      queuedReason: 'fair_share',
      support: { email: 'help@example.com' },
    };
    const turn: protocol.HistoryTurn = {
      id: 't',
      productId: 'p',
      question: huge,
      answer: huge,
      citations: [],
      outcome: 'ok',
      ...meta,
    };
    const sent: protocol.ServerFrame[] = [
      {
        type: 'hello',
        sessionId: 's',
        protocol: 5,
        resumed: true,
        productId: 'p',
        manual,
        support: { url: 'https://x.example' },
      },
      { type: 'session', sessionId: 's' },
      { type: 'history', turns: [turn, turn], more: true, page: true },
      { type: 'turn', phase: 'done', turn },
      { type: 'prediction', seq: 1, items: [item] },
      { type: 'manual', ...manual },
      { type: 'answer_chunk', id: 'a', text: huge },
      { type: 'answer_done', id: 'a', citations: [{ page: 1, snippet: huge }], ...meta },
      { type: 'error', code: 'not_found', message: huge, ref: 'r', reason: 'erased' },
      { type: 'draining', reconnectWithinMs: 2_000 },
      { type: 'heartbeat', reply: true },
    ];
    for (const version of [4, 5] as const)
      for (const frame of sent)
        for (const json of encodeFrame(frame, version))
          expect({ type: frame.type, version, ok: parseServerFrame(json) !== undefined }).toEqual({
            type: frame.type,
            version,
            ok: true,
          });
  });

  it('refuses what is not a server frame it knows', () => {
    expect(parseServerFrame('{"type":"prediction"')).toBeUndefined();
    expect(parseServerFrame(JSON.stringify({ type: 'telepathy' }))).toBeUndefined();
    expect(parseServerFrame(JSON.stringify({ type: '__proto__' }))).toBeUndefined();
    expect(isServerFrame({ type: 'hello', protocol: 4 })).toBe(false);
    expect(isServerFrame({ type: 'hello', protocol: 5 })).toBe(true);
    expect(isServerFrame({ type: 'hello', protocol: 5, resumed: true })).toBe(false);
    // A field a newer server adds is ignored, not refused.
    expect(isServerFrame({ type: 'session', sessionId: 's', region: 'eu' })).toBe(true);
  });
});
