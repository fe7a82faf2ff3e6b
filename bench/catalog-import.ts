/**
 * The catalog at distributor scale (`npm run bench:catalog`):
 *
 * - import: a generated catalog of RECORDS products (1,000,000 by default, about 100 MB; every 10,000th
 *   record is bad on purpose) streamed into each of ENGINES (default: Postgres, started by the test
 *   harness, and PGlite on embedded defaults), in batched multi-row inserts: time, records per second
 *   and this process's peak RSS (PGlite's WebAssembly memory included; Postgres's own processes not),
 *   sampled every 100 ms and from the kernel's maxRSS;
 * - predictor: index and finder build time and memory per product for PREDICTOR_SIZES synthetic
 *   catalogs (default 100,000 and 1,000,000), and the keystroke p99 against the bundled catalog's in
 *   the same run (bench/catalog-predict.ts).
 *
 *   npm run bench:catalog
 *   RECORDS=100000 ENGINES=pglite PREDICTOR_SIZES=100000 npm run bench:catalog
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openPgliteDb } from '../app/storage/pglite-db.js';
import { openPostgresDb } from '../app/storage/postgres-db.js';
import type { Db } from '../app/storage/db.js';
import { migrate } from '../app/storage/migrate.js';
import { importCatalog, readCatalogFile } from '../app/catalog/import.js';
import { startPostgres } from '../test/harness/index.js';
import { benchPredictorScale } from './catalog-predict.js';

const RECORDS = Number(process.env.RECORDS ?? 1_000_000);
const ENGINES = (process.env.ENGINES ?? 'postgres,pglite').split(',').filter((e) => e !== '');
const PREDICTOR_SIZES = (process.env.PREDICTOR_SIZES ?? '100000,1000000')
  .split(',')
  .filter((s) => s !== '')
  .map(Number);
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

async function importOn(engine: string, file: string, dir: string) {
  let db: Db;
  let stop = async () => {};
  if (engine === 'postgres') {
    const server = await startPostgres();
    db = openPostgresDb({ url: await server.createDatabase('bench_catalog'), poolMax: 4, statementTimeoutMs: 600_000 });
    stop = () => server.stop();
  } else {
    db = await openPgliteDb({ dataDir: join(dir, `data-${engine}`) });
  }
  try {
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
    return {
      engine,
      seconds: Math.round(seconds * 10) / 10,
      recordsPerSecond: Math.round(RECORDS / seconds),
      rssBeforeImportMB: mb(rssBefore),
      peakRssDuringImportMB: mb(peakRss),
      imported: report.imported,
      rejected: report.rejectedCount,
      firstRejection: report.rejected[0],
      renamedCount: report.renamedCount,
      activeProducts: active.rows[0]?.n,
    };
  } finally {
    await db.close();
    await stop();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'hsc-jit-bench-catalog-'));
try {
  const file = join(dir, 'catalog.json');
  await writeCatalog(file);
  const fileBytes = (await stat(file)).size;
  // The predictor first: the imports leave PGlite's WebAssembly memory behind, which would blur its figures.
  const predictor = PREDICTOR_SIZES.length > 0 ? benchPredictorScale(PREDICTOR_SIZES) : undefined;
  const imports = [];
  for (const engine of ENGINES) imports.push(await importOn(engine, file, dir));
  console.log(
    JSON.stringify(
      {
        bench: 'catalog-import',
        machine: { loadavg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
        records: RECORDS,
        fileMB: mb(fileBytes),
        imports,
        maxRssProcessMB: Math.round(process.resourceUsage().maxRSS / 1024),
        predictor,
      },
      null,
      2,
    ),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
