/**
 * Regression (issue 12, MEDIUM 4): one record with a NUL or a lone surrogate aborted the whole start-up
 * with no position named, and a large catalog was sent as one JSON parameter. Now bad records are
 * reported by position and skipped, and a file is streamed and written in batches (this file spans
 * several). bench/catalog-import.ts measures a million records on embedded defaults.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../../../test/harness/index.js';
import { bothDbAdapters } from '../../../test/helpers/db-adapters.js';
import type { Db } from '../../adapters/storage/db.js';
import { migrate } from '../../adapters/storage/migrate.js';
import { IMPORT_BATCH, importCatalog, loadActiveProducts, readCatalogFile } from './import.js';

const COUNT = IMPORT_BATCH * 2 + 345;
/** position → a record that must be rejected, and what its reason must say */
const BAD: Record<number, [record: unknown, reason: RegExp]> = {
  7: [{ id: 'p-nul', brand: 'Roland', name: 'TR\u00008', category: 'x' }, /^name: .*control characters/],
};
BAD[IMPORT_BATCH - 1] = [
  { id: 'p-lone', brand: 'Korg \ud800', name: 'Minilogue', category: 'x' },
  /^brand: .*surrogate/,
];
BAD[IMPORT_BATCH + 10] = [
  { id: 'p-alias', brand: 'Korg', name: 'Volca', aliases: ['ok', 'bell\u0007'] },
  /^aliases\.1: /,
];
BAD[IMPORT_BATCH * 2 + 1] = [
  { id: 'p3', brand: 'Dup', name: 'Duplicate of index 3' },
  /^duplicate id, first seen at index 3$/,
];
BAD[COUNT - 1] = [{ id: 'p-url', brand: 'X', name: 'Y', manualUrl: 'https://a.example/\u0000.pdf' }, /^manualUrl: /];

function catalog(): unknown[] {
  return Array.from(
    { length: COUNT },
    (_, i) => BAD[i]?.[0] ?? { id: `p${i}`, brand: 'Roland', name: `Model ${i}`, category: 'x' },
  );
}

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir('catalog-import');
});
afterAll(async () => {
  await dir?.remove();
});

describe.each(bothDbAdapters())('catalog import on %s', (_name, open) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('streams a file in batches, skipping each bad record by position with its reason', async () => {
    const file = join(dir.path, `catalog-${_name}.json`);
    await writeFile(file, JSON.stringify(catalog(), null, 1));
    const report = await importCatalog(db, file, readCatalogFile(file));
    const bad = Object.keys(BAD)
      .map(Number)
      .sort((a, b) => a - b);
    expect(report).toMatchObject({ total: COUNT, imported: COUNT - bad.length, rejectedCount: bad.length });
    expect(report.rejected.map((r) => r.index)).toEqual(bad);
    for (const rejection of report.rejected) expect(rejection.reason).toMatch(BAD[rejection.index]![1]);
    // An id that is itself unprintable is not echoed into the report (and so not into logs).
    expect(report.rejected.find((r) => r.index === 7)).toMatchObject({ id: 'p-nul' });
    const active = await loadActiveProducts(db);
    expect(active).toHaveLength(COUNT - bad.length);
    expect(active.find((p) => p.id === 'p3')?.name).toBe('Model 3');
  });

  it('cleans brands and names on the way in and reports each change with its count (issue #25)', async () => {
    const records = [
      { id: 'r1', brand: ' Roland Commercial ', name: 'Roland SPD-30', category: 'x' },
      { id: 'r2', brand: 'Roland Commercial', name: '+Roland V-1HD', category: 'x' },
      { id: 'r3', brand: 'Mackie', name: 'Mackie ProFX10v3', category: 'x' },
    ];
    const report = await importCatalog(db, 'clean.json', records);
    expect(report.renamedCount).toBe(2);
    expect(report.renamed).toEqual([
      // The record's schema trims first: both spellings are one change, counted twice.
      { field: 'brand', from: 'Roland Commercial', to: 'Roland', count: 2 },
      { field: 'name', from: '+Roland V-1HD', to: 'Roland V-1HD+', count: 1 },
    ]);
    const active = await loadActiveProducts(db);
    expect(active.find((p) => p.id === 'r2')).toMatchObject({
      brand: 'Roland',
      name: 'Roland V-1HD+',
      aliases: ['Roland Commercial'],
    });
    expect(active.find((p) => p.id === 'r3')).toMatchObject({ brand: 'Mackie', aliases: [] });
  });

  it("keeps a product's own https support page, rejects any other, and updates it on re-import", async () => {
    const records = [
      { id: 's1', brand: 'Roland', name: 'TR-8S', supportUrl: 'https://www.roland.com/support/' },
      { id: 's2', brand: 'Roland', name: 'TR-6S', supportUrl: 'http://www.roland.com/support/' },
      { id: 's3', brand: 'Roland', name: 'TR-4S', supportUrl: 'javascript:alert(1)' },
      { id: 's4', brand: 'Roland', name: 'TR-2S' },
    ];
    const report = await importCatalog(db, 'support.json', records);
    expect(report.rejected.map((r) => [r.id, r.reason])).toEqual([
      ['s2', expect.stringMatching(/^supportUrl: must be an https URL/)],
      ['s3', expect.stringMatching(/^supportUrl: /)],
    ]);
    const active = await loadActiveProducts(db);
    expect(active.find((p) => p.id === 's1')?.supportUrl).toBe('https://www.roland.com/support/');
    expect(active.find((p) => p.id === 's4')).not.toHaveProperty('supportUrl');

    const again = await importCatalog(db, 'support.json', [
      { ...records[0], supportUrl: 'https://www.roland.com/global/support/' },
    ]);
    expect(again.changed).toBe(1);
    expect((await loadActiveProducts(db)).find((p) => p.id === 's1')?.supportUrl).toBe(
      'https://www.roland.com/global/support/',
    );
  });

  it('stores every value as given, whatever an array literal would have to escape', async () => {
    // The batch goes to the database as array literals: quotes, backslashes, braces, commas, "NULL",
    // spaces and empty strings must come back as they went in.
    const awkward = ['say "hi"', 'back\\slash\\', '{braces}', 'a,b', 'NULL', 'null', ' pad ', '', 'é😀x'];
    // Values the clean-up leaves as they are (no double spaces, no brand rule), so what went in comes out.
    const records = awkward.map((text, i) => ({
      id: `w${i}-${text}`.trim(),
      brand: `B-${text.trim()}`,
      name: `N-${text}-end`,
      category: text.trim(),
      aliases: [text.trim() || 'x', `"${text}"`],
      manualUrl: `https://manuals.example.com/${encodeURIComponent(text)}.pdf`,
    }));
    const report = await importCatalog(db, 'awkward.json', records);
    expect(report.rejectedCount).toBe(0);
    const active = await loadActiveProducts(db);
    for (const record of records) expect(active.find((p) => p.id === record.id)).toEqual(record);
  });

  it('a file that breaks off mid-way changes nothing, and says why', async () => {
    const file = join(dir.path, `truncated-${_name}.json`);
    const text = JSON.stringify(
      catalog().map((r, i) =>
        BAD[i] ? { id: `q${i}`, brand: 'B', name: 'N' } : { ...(r as object), name: 'Renamed' },
      ),
    );
    await writeFile(file, text.slice(0, Math.floor(text.length * 0.8)));
    await expect(importCatalog(db, file, readCatalogFile(file))).rejects.toThrow(/not valid JSON/);
    expect((await loadActiveProducts(db)).filter((p) => p.name === 'Renamed')).toEqual([]);
    await writeFile(file, '{"id":"a"}');
    await expect(importCatalog(db, file, readCatalogFile(file))).rejects.toThrow(/expected a JSON array/);
    await expect(importCatalog(db, 'missing', readCatalogFile(join(dir.path, 'missing.json')))).rejects.toThrow(
      /cannot be read \(ENOENT\)/,
    );
  });
});
