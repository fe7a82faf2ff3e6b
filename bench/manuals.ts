/**
 * bench:manuals — the manual pipeline, measured, printed as JSON, each figure next to its peer:
 *  - extraction + chunking + indexing of a generated 100-page manual, p50 of several runs, for both
 *    extractors (pdftotext in a child process, pdf.js in a worker thread), with the worst event-loop
 *    delay seen while each ran (the gateway must keep answering keystrokes meanwhile);
 *  - time to the first answer chunk with the extractive model on an indexed manual (retrieve + answer);
 *  - retrieval quality: recall@k of the right page on the labelled demo question set, for the app's
 *    OR-ed ranked query and for plainto_tsquery in the same run.
 * Indexing runs on embedded PGlite (the `npm start` default) and on a real postgres server started by
 * the test harness (production), so the two can be compared. Run: npm run bench:manuals
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { createHash } from 'node:crypto';
import { openPgliteDb } from '../app/adapters/storage/pglite-db.js';
import { migrate } from '../app/adapters/storage/migrate.js';
import { extractWithPdfjs, extractWithPdftotext, type Extractor } from '../app/core/manuals/extract.js';
import { chunkPages } from '../app/core/manuals/chunk.js';
import { ManualIndexStore, type SearchMode } from '../app/core/manuals/index-store.js';
import { renderGeneratedManual } from '../scripts/demo-manuals/render.js';
import { readDemoManifest, readDemoManual } from '../app/core/manuals/demo/manifest.js';
import { DEMO_QUESTIONS } from '../scripts/demo-manuals/content.js';
import { createExtractiveModel } from '../app/core/answers/extractive.js';
import { collectGarbage, latencySummary, percentile, round } from './measure.js';
import { startPostgres } from '../test/harness/index.js';
import { openPostgresDb } from '../app/adapters/storage/postgres-db.js';
import type { Db } from '../app/adapters/storage/db.js';
import { LayeredCache } from '../app/adapters/cache/layered-cache.js';
import { createMemoryKv } from '../app/adapters/cache/memory-kv.js';
import { createTelemetry } from '../app/shared/telemetry/registry.js';
import { normalizeQuestion, type CachedAnswer } from '../app/core/answers/answer-service.js';
import { mulberry32 } from './queries/random.js';
import { PARAPHRASES, literalQuestions, pageRecall, type PageQuestion } from './queries/paraphrases.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PAGES = 100;

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const p50 = (values: number[]) =>
  round(
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    ),
    1,
  );

const manifest = await readDemoManifest();
const productIds = ['bench_generated', ...manifest.manuals.map((m) => m.productId)];

async function prepare(db: Db): Promise<ManualIndexStore> {
  await migrate(db);
  for (const id of productIds) await db.query(`INSERT INTO products (id, brand, name) VALUES ($1, 'Bench', $1)`, [id]);
  const store = new ManualIndexStore(db);
  await store.upsert('bench_generated', 'http://bench.invalid/generated.pdf');
  return store;
}

const db = await openPgliteDb({});
const store = await prepare(db);
const server = await startPostgres();
const pgDb = await openPostgresDb({
  url: await server.createDatabase('bench_manuals'),
  poolMax: 4,
  statementTimeoutMs: 30_000,
});
const pgStore = await prepare(pgDb);

// --- 1. extraction + chunking + indexing, both extractors -------------------------------------
const pdf = await renderGeneratedManual(PAGES);
const hash = createHash('sha256').update(pdf).digest('hex');

async function pipelineRuns(extract: Extractor, into: ManualIndexStore) {
  const extractMs: number[] = [];
  const chunkMs: number[] = [];
  const indexMs: number[] = [];
  const totalMs: number[] = [];
  const loopMaxMs: number[] = [];
  const loopP99Ms: number[] = [];
  let chunks = 0;
  await extract(pdf); // warm-up: the first pdf.js run also loads the library into its worker
  for (let run = 0; run < RUNS; run++) {
    collectGarbage(); // so a collection left over from the previous run's indexing is not billed to this extraction
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const start = process.hrtime.bigint();
    const manual = await extract(pdf);
    extractMs.push(ms(start));
    loop.disable();
    loopMaxMs.push(loop.max / 1e6);
    loopP99Ms.push(loop.percentile(99) / 1e6);
    const chunkStart = process.hrtime.bigint();
    const pieces = chunkPages(manual.pages);
    chunkMs.push(ms(chunkStart));
    const indexStart = process.hrtime.bigint();
    await into.replaceChunks('bench_generated', pieces, {
      pages: manual.pageCount,
      contentHash: hash,
      bytes: pdf.length,
    });
    indexMs.push(ms(indexStart));
    totalMs.push(ms(start));
    chunks = pieces.length;
  }
  return {
    p50: { extractMs: p50(extractMs), chunkMs: p50(chunkMs), indexMs: p50(indexMs), totalMs: p50(totalMs) },
    // Sampled every 5 ms while the extraction ran: p50 over runs of each run's p99 and max delay.
    eventLoopDelayDuringExtractionMs: {
      p99: p50(loopP99Ms),
      max: p50(loopMaxMs),
      worstMax: round(Math.max(...loopMaxMs), 1),
    },
    chunks,
  };
}

const pdftotext = await pipelineRuns(extractWithPdftotext, store);
const pdfjs = await pipelineRuns(extractWithPdfjs, store);
const pdftotextPostgres = await pipelineRuns(extractWithPdftotext, pgStore);
await pgDb.close();
await server.stop();

// --- 2. index the demo manuals; time to first answer chunk ----------------------------------
for (const entry of manifest.manuals) {
  const bytes = await readDemoManual(entry);
  const manual = await extractWithPdftotext(bytes);
  await store.upsert(entry.productId, `http://demo.invalid/${entry.file}`);
  await store.replaceChunks(entry.productId, chunkPages(manual.pages), {
    pages: manual.pageCount,
    contentHash: entry.sha256,
    bytes: bytes.length,
  });
}
const model = createExtractiveModel();
const firstChunkMs: number[] = [];
for (let rep = 0; rep < 5; rep++) {
  for (const q of DEMO_QUESTIONS) {
    const start = process.hrtime.bigint();
    const chunks = await store.search(q.productId, q.question, 3);
    const iterator = model.stream(q.question, chunks, new AbortController().signal)[Symbol.asyncIterator]();
    await iterator.next();
    firstChunkMs.push(ms(start));
    await iterator.return?.(undefined);
  }
}

// --- 3. retrieval quality: recall@k of the right page, OR-ed ranking vs plainto_tsquery --------
const recall = (questions: readonly PageQuestion[], mode: SearchMode) =>
  pageRecall(questions, (productId, question) => store.search(productId, question, 5, mode));
/** Share of questions whose full extractive answer cites the page that holds the fact. */
async function citationAccuracy(): Promise<number> {
  let right = 0;
  for (const q of DEMO_QUESTIONS) {
    const stream = model.stream(
      q.question,
      await store.search(q.productId, q.question, 3),
      new AbortController().signal,
    );
    for await (const _piece of stream) void _piece;
    if (stream.citations().some((c) => c.page === q.page)) right++;
  }
  return round(right / DEMO_QUESTIONS.length);
}
const orRanked = await recall(DEMO_QUESTIONS, 'or');
// The domain thesaurus, before (literal: the question's own words) and after, on paraphrases and on
// questions in the manuals' own words.
const thesaurus = {
  paraphrases: { before: await recall(PARAPHRASES, 'literal'), after: await recall(PARAPHRASES, 'or') },
  demoQuestions: { before: await recall(DEMO_QUESTIONS, 'literal'), after: orRanked },
  literal: { before: await recall(literalQuestions(), 'literal'), after: await recall(literalQuestions(), 'or') },
};
const answersCiteRightPage = await citationAccuracy();
const plain = await recall(DEMO_QUESTIONS, 'plain');

// --- 4. answer cache on skewed traffic: two pods (own L1, shared L2) vs L1 alone ---------------
/**
 * A Zipf-skewed replay of the demo questions, each asked with varying case and punctuation (which the
 * cache key normalizes) plus a tail of one-off phrasings, spread over two gateway pods at random. The peer is the same replay with no
 * shared L2, so the figure shows what the second layer adds.
 */
const ONE_OFF_SHARE = 0.1;
async function cacheReplay(sharedL2: boolean) {
  const random = mulberry32(20261129);
  const weights = DEMO_QUESTIONS.map((_, rank) => 1 / (rank + 1) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const pickQuestion = () => {
    let r = random() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r <= 0) return DEMO_QUESTIONS[i]!;
    }
    return DEMO_QUESTIONS.at(-1)!;
  };
  const telemetry = createTelemetry({ defaultMetrics: false });
  const l2 = createMemoryKv();
  const pods = [0, 1].map(
    () =>
      new LayeredCache<CachedAnswer>({ name: 'answers', kv: sharedL2 ? l2 : createMemoryKv(), metrics: telemetry.m }),
  );
  const requests = 3_000;
  for (let i = 0; i < requests; i++) {
    const q = pickQuestion();
    // One request in ten is phrased in a way nobody else asks (a long tail the cache cannot help).
    const asked =
      random() < ONE_OFF_SHARE
        ? `${q.question} (asked by customer ${i})`
        : random() < 0.5
          ? q.question
          : `${q.question.toLowerCase().replace(/\?$/, '')} ?`;
    const pod = pods[Math.floor(random() * pods.length)]!;
    await pod.getOrCompute(`${q.productId}:extractive:${normalizeQuestion(asked)}`, async () => {
      const stream = model.stream(asked, await store.search(q.productId, asked, 3), new AbortController().signal);
      let text = '';
      for await (const piece of stream) text += piece;
      return { text, citations: stream.citations() };
    });
  }
  const count = async (name: string, layer: string) =>
    (await telemetry.registry.getSingleMetric(name)!.get()).values.find((v) => v.labels.layer === layer)?.value ?? 0;
  const l1Hits = await count('cache_hits_total', 'l1');
  const l2Hits = await count('cache_hits_total', 'l2');
  return {
    requests,
    distinctQuestions: DEMO_QUESTIONS.length,
    l1Hits,
    l2Hits,
    computed: requests - l1Hits - l2Hits,
    hitRate: round((l1Hits + l2Hits) / requests),
  };
}
const cacheTwoLayers = await cacheReplay(true);
const cacheL1Only = await cacheReplay(false);
await db.close();

console.log(
  JSON.stringify(
    {
      bench: 'manuals',
      machine: { loadavg1m: round(loadavg()[0] ?? 0, 2) },
      indexing: {
        manual: { pages: PAGES, bytes: pdf.length, runs: RUNS },
        pglite: { pdftotext, pdfjsChild: pdfjs },
        postgres: { pdftotext: pdftotextPostgres },
        chosen: 'pdftotext',
        targetTotalMs: 400,
      },
      firstAnswerChunk: {
        model: 'extractive',
        database: 'pglite',
        retrievalTopK: 3,
        samples: firstChunkMs.length,
        ...latencySummary(firstChunkMs),
        targetMs: 50,
      },
      retrieval: {
        questions: DEMO_QUESTIONS.length,
        manuals: manifest.manuals.length,
        orRankedTsRank: orRanked,
        plaintoTsquery: plain,
        thesaurus,
        extractiveAnswerCitesRightPage: answersCiteRightPage,
        targetRecallAt3: 0.9,
      },
      answerCache: {
        pods: 2,
        zipfExponent: 1.1,
        oneOffShare: ONE_OFF_SHARE,
        l1PlusSharedL2: cacheTwoLayers,
        peerL1Only: cacheL1Only,
        targetHitRate: 0.8,
      },
    },
    null,
    2,
  ),
);
