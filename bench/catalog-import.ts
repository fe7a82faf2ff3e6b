/**
 * Catalog import at scale on embedded defaults (PGlite in a data directory): a generated catalog of
 * RECORDS products (1,000,000 by default, about 100 MB; every 10,000th record is bad on purpose) is
 * streamed in, and the run prints JSON with the time, the records per second and the peak RSS of this
 * process (PGlite's WebAssembly memory included), sampled every 100 ms and from the kernel's maxRSS.
 *
 *   npx tsx bench/catalog-import.ts            # 1,000,000 records
 *   RECORDS=100000 npx tsx bench/catalog-import.ts
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openPgliteDb } from '../app/storage/pglite-db.js';
import { migrate } from '../app/storage/migrate.js';
import { importCatalog, readCatalogFile } from '../app/catalog/import.js';

const RECORDS = Number(process.env.RECORDS ?? 1_000_000);
const BRANDS = [
  'Roland',
  'Yamaha',
  'Korg',
  'Mackie',
  'Pearl',
  'Paiste',
  'Akai Professional',
  'Nord',
  'Boss',
  'Zildjian',
];
const mb = (bytes: number) => Math.round(bytes / 1048576);

async function writeCatalog(path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('[\n');
  for (let i = 0; i < RECORDS; i++) {
    const brand = BRANDS[i % BRANDS.length]!;
    const bad = i % 10_000 === 5_000;
    const record = {
      id: `p${i}`,
      brand,
      name: bad ? `Broken \u0000 ${i}` : `${brand} Model ${i} Series ${(i * 7) % 1000}`,
      category: ['drums', 'keys', 'mixers', 'cymbals'][i % 4],
      aliases: [`model ${i}`, `m${i}`],
      manualUrl: `https://manuals.example.com/${brand.toLowerCase().replace(/\s+/g, '-')}/${i}.pdf`,
    };
    await write(`${JSON.stringify(record)}${i + 1 < RECORDS ? ',' : ''}\n`);
  }
  await write(']\n');
  out.end();
  await once(out, 'finish');
}

const dir = await mkdtemp(join(tmpdir(), 'hsc-jit-bench-catalog-'));
try {
  const file = join(dir, 'catalog.json');
  await writeCatalog(file);
  const fileBytes = (await stat(file)).size;
  const db = await openPgliteDb({ dataDir: join(dir, 'data') });
  await migrate(db);
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const start = performance.now();
  const report = await importCatalog(db, file, readCatalogFile(file));
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const active = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM products WHERE retired_at IS NULL');
  await db.close();
  console.log(
    JSON.stringify(
      {
        bench: 'catalog-import',
        machine: { loadavg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
        records: RECORDS,
        fileMB: mb(fileBytes),
        seconds: Math.round(seconds * 10) / 10,
        recordsPerSecond: Math.round(RECORDS / seconds),
        rssBeforeImportMB: mb(rssBefore),
        peakRssDuringImportMB: mb(peakRss),
        maxRssProcessMB: Math.round(process.resourceUsage().maxRSS / 1024),
        imported: report.imported,
        rejected: report.rejectedCount,
        firstRejection: report.rejected[0],
        activeProducts: active.rows[0]?.n,
      },
      null,
      2,
    ),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
