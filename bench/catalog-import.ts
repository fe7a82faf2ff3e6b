/**
 * The catalog at distributor scale (`npm run bench:catalog`):
 *
 * - import: generated catalogs of IMPORT_SIZES products (a 100,000-record control and 1,000,000, about
 *   100 MB; every 10,000th record is bad on purpose) streamed into a fresh database on each of ENGINES
 *   (default: Postgres, started by the test harness, and PGlite in its worker thread as the embedded
 *   gateway runs it): time, records per second and this process's peak RSS (PGlite's WebAssembly memory
 *   included; Postgres's own processes not), sampled every 100 ms and from the kernel's maxRSS. Targets
 *   (issue #25): 1,000,000 records in 30 s on Postgres and in 60 s embedded;
 * - predictor: index and finder build time and memory per product for PREDICTOR_SIZES synthetic
 *   catalogs (default 100,000 and 1,000,000), and the keystroke p99 against the bundled catalog's in
 *   the same run (bench/catalog-predict.ts).
 *
 *   npm run bench:catalog
 *   IMPORT_SIZES=100000 ENGINES=pglite PREDICTOR_SIZES=100000 npm run bench:catalog
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openPgliteDb } from '../app/adapters/storage/pglite-db.js';
import { openPostgresDb } from '../app/adapters/storage/postgres-db.js';
import type { Db } from '../app/adapters/storage/db.js';
import { migrate } from '../app/adapters/storage/migrate.js';
import { importCatalog, readCatalogFile } from '../app/core/catalog/import.js';
import { startPostgres } from '../test/harness/index.js';
import { benchPredictorScale } from './catalog-predict.js';

const IMPORT_SIZES = (process.env.IMPORT_SIZES ?? '100000,1000000')
  .split(',')
  .filter((s) => s !== '')
  .map(Number);
/** Seconds for 1,000,000 records (issue #25). */
const TARGET_SECONDS_PER_MILLION: Record<string, number> = { postgres: 30, pglite: 60 };
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

async function writeCatalog(path: string, records: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('[\n');
  for (let i = 0; i < records; i++) {
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
    await write(`${JSON.stringify(record)}${i + 1 < records ? ',' : ''}\n`);
  }
  await write(']\n');
  out.end();
  await once(out, 'finish');
}

/** Kernel clock ticks per second (USER_HZ): what /proc/<pid>/stat counts CPU time in on Linux. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds used by a process and all its descendants: the live ones' own time, plus what each has
 * collected from the children it has reaped (Postgres backends that ended).
 */
async function treeCpuSeconds(root: number): Promise<number> {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
    if (!text) continue;
    // Fields after the command name (which may hold spaces): state, ppid, …, utime, stime, cutime, cstime.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    stats.set(Number(entry), {
      ppid: Number(f[1]),
      ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
    });
  }
  let ticks = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, info] of stats) if (info.ppid === pid) pending.push(child);
  }
  return ticks / CLOCK_TICKS;
}

const ownCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

async function importOn(engine: string, records: number, file: string, dir: string) {
  let db: Db;
  let stop = async () => {};
  let serverCpuSeconds = async () => 0;
  if (engine === 'postgres') {
    const server = await startPostgres();
    serverCpuSeconds = () => treeCpuSeconds(server.service.pid);
    db = openPostgresDb({
      url: await server.createDatabase('bench_catalog'),
      poolMax: 4,
      statementTimeoutMs: 600_000,
      // On a loaded machine the health probe, sent while the import holds its connection, can take more
      // than its default second: the pool would then cut the import's connection as if the server were gone.
      probeTimeoutMs: 30_000,
    });
    stop = () => server.stop();
  } else {
    db = await openPgliteDb({ dataDir: join(dir, `data-${engine}-${records}`), thread: true });
  }
  try {
    await migrate(db);
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const cpuBefore = { own: ownCpuSeconds(), server: await serverCpuSeconds() };
    const start = performance.now();
    const report = await importCatalog(db, file, readCatalogFile(file));
    const seconds = (performance.now() - start) / 1000;
    const cpuSeconds = {
      // PGlite runs in a thread of this process: its CPU time is here.
      process: Math.round((ownCpuSeconds() - cpuBefore.own) * 10) / 10,
      ...(engine === 'postgres'
        ? { postgresServer: Math.round(((await serverCpuSeconds()) - cpuBefore.server) * 10) / 10 }
        : {}),
    };
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const active = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM products WHERE retired_at IS NULL');
    return {
      engine,
      records,
      seconds: Math.round(seconds * 10) / 10,
      recordsPerSecond: Math.round(records / seconds),
      cpuSeconds,
      ...(TARGET_SECONDS_PER_MILLION[engine]
        ? { targetSeconds: Math.round((TARGET_SECONDS_PER_MILLION[engine] * records) / 1_000_000) }
        : {}),
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
  // The predictor first: the imports leave PGlite's WebAssembly memory behind, which would blur its figures.
  const predictor = PREDICTOR_SIZES.length > 0 ? benchPredictorScale(PREDICTOR_SIZES) : undefined;
  const files = [];
  const imports = [];
  for (const records of IMPORT_SIZES) {
    const file = join(dir, `catalog-${records}.json`);
    await writeCatalog(file, records);
    files.push({ records, fileMB: mb((await stat(file)).size) });
    for (const engine of ENGINES) imports.push(await importOn(engine, records, file, dir));
    await rm(file);
  }
  console.log(
    JSON.stringify(
      {
        bench: 'catalog-import',
        machine: { loadavg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
        files,
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
