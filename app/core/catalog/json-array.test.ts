/**
 * The streamed array reader finds element ends by a scan and leaves parsing to JSON.parse: whatever the
 * chunking, it must give what JSON.parse gives for a valid array, and refuse what JSON.parse refuses.
 */
import { describe, expect, it, vi } from 'vitest';
import { JsonArrayError, jsonArrayElements } from './json-array.js';

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(text: string, size = text.length || 1): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const element of jsonArrayElements(chunked(text, size))) out.push(element);
  return out;
}

const TRICKY = [
  { id: 'a,b]', name: 'quote " and backslash \\ and }{][', aliases: ['x', '\\', '"', ''] },
  { nested: { deeper: [[1, 2], [], {}, { k: [null] }] }, escaped: '\\"\\\\', unicode: 'é ü 😀 \u2028' },
  'a string, with [brackets]',
  12.5e3,
  null,
  true,
  [],
  {},
];

describe('jsonArrayElements', () => {
  it('gives what JSON.parse gives, however the text is cut into chunks', async () => {
    for (const text of [
      JSON.stringify(TRICKY),
      JSON.stringify(TRICKY, null, 2),
      ` \n[ ${JSON.stringify(TRICKY).slice(1)} \n`,
    ])
      for (const size of [1, 2, 3, 7, 64, text.length])
        expect(await read(text, size), `chunks of ${size}`).toEqual(JSON.parse(text));
  });

  // Runs of whole elements are parsed at once: where a run is cut, and whether it parses, must not
  // change what is read, nor which record an error names.
  const records = Array.from({ length: 500 }, (_, i) => ({
    id: `p${i}`,
    name: i % 7 === 0 ? `tricky "}, {" ${i} \\` : `Model ${i}`,
    ...(i % 11 === 0 ? { nested: { a: [{ b: i }, {}], c: {} } } : {}),
    aliases: [`m${i}`],
  }));

  it('reads runs of records as it reads them one by one, nested objects and "}," in strings included', async () => {
    for (const text of [
      JSON.stringify(records),
      JSON.stringify(records, null, 2),
      `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`,
    ])
      for (const size of [50, 997, 4096, text.length])
        expect(await read(text, size), `chunks of ${size}`).toEqual(records);
  });

  it('parses a chunk of flat records in a few JSON.parse calls, not one per record', async () => {
    const flat = records.map(({ id, aliases }) => ({ id, aliases }));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(await read(JSON.stringify(flat), 8192)).toEqual(flat);
      expect(parse.mock.calls.length).toBeLessThan(flat.length / 10);
    } finally {
      parse.mockRestore();
    }
  });

  it('names the bad record inside a run, after handing on those before it', async () => {
    const lines = records.map((r) => JSON.stringify(r));
    lines[321] = '{"id":"p321","name":"Model 321",}';
    const text = `[${lines.join(',')}]`;
    for (const size of [997, text.length]) {
      const seen: unknown[] = [];
      const error = await (async () => {
        for await (const element of jsonArrayElements(chunked(text, size))) seen.push(element);
      })().catch((e: unknown) => e);
      expect(error, `chunks of ${size}`).toBeInstanceOf(JsonArrayError);
      expect((error as Error).message).toMatch(/^at record 321: /);
      expect(seen).toEqual(records.slice(0, 321));
    }
  });

  it('reads empty arrays', async () => {
    expect(await read('[]')).toEqual([]);
    expect(await read(' [ \n ] \n', 1)).toEqual([]);
  });

  it('refuses what JSON.parse refuses, naming the record', async () => {
    const bad: [string, RegExp][] = [
      ['[{"a":1},{"a":}]', /^at record 1: /],
      ['[1,]', /^at record 1: /],
      ['[1,,2]', /^at record 1: /],
      ['[1 2]', /^at record 0: /],
      ['[{"a":[1}]]', /^at record 0: /],
      ['[1}]', /^at record 0: /],
      ['[1] x', /after the array's end/],
      ['[1][2]', /after the array's end/],
      ['[{"a":"unterminated}]', /ends inside the array, after 0 records/],
      ['[1,2', /ends inside the array, after 1 records/],
      ['', /empty/],
    ];
    for (const [text, reason] of bad) {
      expect(() => JSON.parse(text), text).toThrow();
      for (const size of [1, 3, text.length || 1])
        await expect(read(text, size), `${text} in chunks of ${size}`).rejects.toThrow(reason);
    }
  });

  it('says when the top level is not an array', async () => {
    for (const text of ['{"id":"a"}', '"a"', '1']) {
      const error = await read(text).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JsonArrayError);
      expect((error as JsonArrayError).notArray).toBe(true);
    }
  });
});
