import { describe, expect, it } from 'vitest';
import { parseProductRecord, ProductRecord, supportContactFor } from './product.js';

describe('supportContactFor', () => {
  const product = { supportUrl: 'https://maker.example/support' };

  it("sends the customer to the product's own support page when no SUPPORT_URL is set", () => {
    expect(supportContactFor(product, undefined)).toEqual({ url: 'https://maker.example/support' });
    expect(supportContactFor(product, { email: 'help@shop.example' })).toEqual({
      url: 'https://maker.example/support',
      email: 'help@shop.example',
    });
  });

  it("keeps the operator's SUPPORT_URL over the product's page, and gives nothing when neither exists", () => {
    expect(supportContactFor(product, { url: 'https://shop.example/help' })).toEqual({
      url: 'https://shop.example/help',
    });
    expect(supportContactFor({}, undefined)).toBeUndefined();
    expect(supportContactFor(undefined, {})).toBeUndefined();
  });
});

describe('parseProductRecord', () => {
  // Field values at and around every rule's edge: lengths, trimming, control characters, surrogates,
  // non-strings, and URLs the parser accepts, rejects or would read differently (IPv4, punycode, ports).
  const texts: unknown[] = [
    'Roland',
    '  Roland Commercial ',
    '',
    '   ',
    '\u00a0Nbsp\u00a0',
    '\ufeffBom',
    'Ünïcödé Brand',
    'emoji 😀',
    'a\u0000b',
    'tab\there',
    'line\nbreak',
    'del\u007f',
    'c1\u0085',
    'lone \ud800',
    '\udc00lead',
    'x'.repeat(100),
    'x'.repeat(101),
    'x'.repeat(200),
    'x'.repeat(201),
    ` ${'x'.repeat(199)} `,
    'x'.repeat(300),
    'x'.repeat(301),
    42,
    null,
    true,
    {},
    ['a'],
  ];
  const urls: unknown[] = [
    'https://manuals.example.com/roland/1.pdf',
    'http://manuals.example.com/a.pdf',
    'https://localhost',
    'https://a.example?q=1#f',
    'HTTPS://A.EXAMPLE/',
    'Https://a.example/',
    'https://1.2.3.4/',
    'https://999.999.999.999/',
    'https://a.b.0x1/',
    'https://a.1/',
    'https://a.1a/',
    'https://a..b/',
    'https://.a/',
    'https://a./',
    'https://-a.example/',
    'https://a-.example/',
    'https://a_b.example/',
    'https://xn--a.example/',
    'https://xn--bcher-kva.example/',
    'https://a.example:8080/',
    'https://a.example:99999/',
    'https://user@a.example/',
    'https:///a.example',
    'https:a.example',
    'ftp://a.example/',
    'https://exa mple.com/',
    'https://a.example/ space',
    ' https://a.example/ ',
    'https://a.example/\\back',
    'https://a.example/%zz',
    'https://a.example/é',
    'https://a.example/\u0000',
    `https://${'a'.repeat(63)}.example/`,
    `https://${'a'.repeat(64)}.example/`,
    `https://${'abcdefghi.'.repeat(40)}example/`,
    `https://a.example/${'x'.repeat(1982)}`,
    `https://a.example/${'x'.repeat(1983)}`,
    42,
    null,
  ];
  const aliasLists: unknown[] = [[], ['m1', ' m2 '], Array(50).fill('a'), Array(51).fill('a'), 'a', { 0: 'a' }];
  for (const text of texts) aliasLists.push([text], ['ok', text]);

  // A fixed-seed generator: the same records every run.
  let seed = 2_463_534_242;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const ABSENT = Symbol('absent');
  const usual = () => ({
    id: 'p1',
    brand: 'Roland',
    name: 'TR-8S',
    category: 'drums',
    aliases: ['tr8s'],
    manualUrl: 'https://manuals.example.com/tr8s.pdf',
    imageUrl: 'https://img.example.com/tr8s.png',
    supportUrl: 'https://roland.example/support',
  });
  const pools: Record<string, unknown[]> = {
    id: texts,
    brand: texts,
    name: texts,
    category: [...texts, undefined],
    aliases: [...aliasLists, undefined],
    manualUrl: [...urls, undefined],
    imageUrl: urls,
    supportUrl: urls,
    extra: ['unused column'],
  };
  const records: unknown[] = [null, 'p1', [usual()], {}];
  for (const [field, pool] of Object.entries(pools)) {
    // Each value alone in an otherwise usual record, then absent.
    for (const value of pool) records.push({ ...usual(), [field]: value });
    const { [field as keyof ReturnType<typeof usual>]: _, ...rest } = usual();
    records.push(rest);
  }
  for (let n = 0; n < 3_000; n++) {
    const record: Record<string, unknown> = {};
    for (const [field, pool] of Object.entries(pools)) {
      const value = random() < 0.15 ? ABSENT : random() < 0.6 ? usual()[field as 'id'] : pick(pool);
      if (value !== ABSENT && !(field === 'extra' && value === undefined)) record[field] = value;
    }
    records.push(record);
  }

  it('gives what ProductRecord gives, field order, values and errors alike', () => {
    let accepted = 0;
    for (const record of records) {
      const fast = parseProductRecord(record);
      const zod = ProductRecord.safeParse(record);
      expect({ record, success: fast.success }).toEqual({ record, success: zod.success });
      if (fast.success && zod.success) {
        accepted += 1;
        expect(JSON.stringify(fast.data)).toBe(JSON.stringify(zod.data));
        expect(Object.keys(fast.data)).toEqual(Object.keys(zod.data));
      } else expect(fast.error?.issues).toEqual(zod.error?.issues);
    }
    // Both outcomes are exercised, not only one.
    expect(accepted).toBeGreaterThan(300);
    expect(records.length - accepted).toBeGreaterThan(300);
  });
});
