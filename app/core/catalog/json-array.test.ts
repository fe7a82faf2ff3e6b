/**
 * The streamed array reader finds element ends by a scan and leaves parsing to JSON.parse: whatever the
 * chunking, it must give what JSON.parse gives for a valid array, and refuse what JSON.parse refuses.
 */
import { describe, expect, it } from 'vitest';
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
