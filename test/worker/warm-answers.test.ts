/**
 * The worker warms the answer cache with the most asked questions, and a customer's ask is then answered
 * from that cache: what the worker stores must be what the gateway would have answered. The gateway leaves
 * the product's own name out of the question before retrieval ("Allen & Heath SQ-5 factory reset" looks for
 * "factory reset"); a worker that did not know the catalog's names retrieved on the name and cached an
 * answer about something else, served to every later customer asking the same.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerService, normalizeQuestion, type CachedAnswer } from '../../app/core/answers/answer-service.js';
import { createExtractiveModel } from '../../app/core/answers/extractive.js';
import { LayeredCache } from '../../app/adapters/cache/layered-cache.js';
import { createMemoryKv } from '../../app/adapters/cache/memory-kv.js';
import { BUNDLED_CATALOG, importCatalog, loadActiveProducts, readCatalogFile } from '../../app/core/catalog/import.js';
import { ConversationStore } from '../../app/core/conversations/conversation-store.js';
import { SessionStore } from '../../app/core/sessions/session-store.js';
import { chunkPages } from '../../app/core/manuals/chunk.js';
import { readDemoManifest, readDemoManual } from '../../app/core/manuals/demo/manifest.js';
import { chooseExtractor } from '../../app/core/manuals/extract.js';
import { ManualIndexStore } from '../../app/core/manuals/index-store.js';
import type { Db } from '../../app/adapters/storage/db.js';
import { migrate } from '../../app/adapters/storage/migrate.js';
import { openPostgresDb } from '../../app/adapters/storage/postgres-db.js';
import { createTelemetry } from '../../app/shared/telemetry/registry.js';
import { startPostgres, startRedis, type PostgresInstance, type RedisInstance } from '../harness/index.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';

const PRODUCT = 'allen_heath_40_sq5';
const QUESTION = 'Allen & Heath SQ-5 factory reset';

let pg: PostgresInstance;
let redis: RedisInstance;
let databaseUrl: string;
let db: Db;
let worker: AppProcess | undefined;

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  databaseUrl = await pg.createDatabase('warm');
  db = await openPostgresDb({ url: databaseUrl, poolMax: 2, statementTimeoutMs: 30_000 });
  await migrate(db);
  await importCatalog(db, BUNDLED_CATALOG, readCatalogFile(BUNDLED_CATALOG));
  // The SQ-5's manual is ready, and yesterday's customers asked this question.
  const entry = (await readDemoManifest()).manuals.find((m) => m.productId === PRODUCT);
  if (!entry) throw new Error(`no demo manual for ${PRODUCT}`);
  const body = await readDemoManual(entry);
  const store = new ManualIndexStore(db);
  const manual = await store.upsert(PRODUCT, `demo:${entry.file}`);
  const extracted = await (await chooseExtractor()).extract(body);
  await store.replaceChunks(manual.id, chunkPages(extracted.pages), {
    pages: extracted.pageCount,
    contentHash: createHash('sha256').update(body).digest('hex'),
    bytes: body.length,
  });
  const sessions = new SessionStore(db, { max: 10, metrics: createTelemetry().m });
  await sessions.use('s1', { fresh: true });
  await sessions.use('expected', { fresh: true });
  await new ConversationStore(db, 90).record({
    sessionId: 's1',
    askId: 'q1',
    productId: PRODUCT,
    question: QUESTION,
    answer: 'as answered then',
    citations: [],
    outcome: 'ok',
    model: 'extractive',
  });
});

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await db?.close();
  await Promise.allSettled([pg?.stop(), redis?.stop()]);
});

/** What the gateway answers: the answer service with the catalog's product names, nothing cached. */
async function gatewayAnswer(): Promise<string> {
  const log = pino({ level: 'silent' });
  const products = new Map((await loadActiveProducts(db)).map((p) => [p.id, p]));
  const answers = createAnswerService({
    store: new ManualIndexStore(db),
    // Never consulted: the manual is ready, so no answer waits for it.
    manuals: {} as never,
    model: createExtractiveModel(),
    cache: new LayeredCache<CachedAnswer>({ name: 'answers', kv: createMemoryKv(), log }),
    conversations: new ConversationStore(db, 90),
    metrics: createTelemetry().m,
    log,
    waitForManualMs: 1_000,
    productName: (id) => products.get(id),
  });
  const pieces: string[] = [];
  const product = products.get(PRODUCT);
  if (!product) throw new Error(`${PRODUCT} is not in the bundled catalog`);
  await answers.answer(
    { id: 'expected', sessionId: 'expected', product, question: QUESTION },
    { chunk: (piece) => pieces.push(piece), signal: new AbortController().signal },
  );
  return pieces.join('');
}

describe('the worker warming the answer cache', () => {
  it('caches the answer the gateway gives, product name left out of the question', async () => {
    worker = await spawnApp({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url }, 'app/worker.ts', 'worker running');
    // BullMQ runs a new `every` schedule at once, so the warm task runs as the worker starts.
    const client = new Redis(redis.url);
    const suffix = `:${normalizeQuestion(QUESTION)}`;
    let warmed: CachedAnswer | undefined;
    await expect
      .poll(
        async () => {
          const keys = await client.keys('hsc:cache:answers:*');
          const key = keys.find((k) => k.endsWith(suffix));
          warmed = key ? (JSON.parse((await client.get(key)) ?? 'null') as CachedAnswer) : undefined;
          return warmed !== undefined;
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);
    client.disconnect();
    const expected = await gatewayAnswer();
    expect(expected).toMatch(/factory reset/i);
    expect(warmed?.text).toBe(expected);
  });
});
