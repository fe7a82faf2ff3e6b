/**
 * The answer cache outlives a deploy (Redis), so its key names the release: a release whose answerer
 * changed must compute its own answers, while every process of one release (the gateways, the worker
 * that warms the cache) shares them.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayeredCache } from '../../adapters/cache/layered-cache.js';
import { createMemoryKv } from '../../adapters/cache/memory-kv.js';
import type { KeyValue } from '../../adapters/cache/kv.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import { chunkPages } from '../manuals/chunk.js';
import { ManualIndexStore } from '../manuals/index-store.js';
import { SessionStore } from '../sessions/session-store.js';
import type { Db } from '../../adapters/storage/db.js';
import { migrate } from '../../adapters/storage/migrate.js';
import { openPgliteDb } from '../../adapters/storage/pglite-db.js';
import { createTelemetry } from '../../shared/telemetry/registry.js';
import { createAnswerService, type CachedAnswer } from './answer-service.js';
import { createExtractiveModel } from './extractive.js';
import type { AnswerModel } from './model.js';

const PAGES = ['Factory reset\n1. Hold SHIFT while switching the unit on.\n2. Press ENTER to confirm the reset.'];
const PRODUCT = { id: 'mixer', brand: 'Test', name: 'Mixer', category: 'mixer', aliases: [] };

let db: Db;
beforeAll(async () => {
  db = await openPgliteDb({});
  await migrate(db);
  await db.query(`INSERT INTO products (id, brand, name) VALUES ('mixer', 'Test', 'Mixer')`);
  const store = new ManualIndexStore(db);
  await store.upsert('mixer', 'http://127.0.0.1/mixer.pdf');
  await store.replaceChunks('mixer', chunkPages(PAGES), { pages: 1, contentHash: 'mixer-v1', bytes: 1 });
});
afterAll(() => db.close());

/** The extractive model, counting the answers it computes (a cache hit computes none). */
function countingModel(): AnswerModel & { computed: number } {
  const inner = createExtractiveModel();
  const model = {
    name: inner.name,
    computed: 0,
    stream: (...args: Parameters<AnswerModel['stream']>) => {
      model.computed++;
      return inner.stream(...args);
    },
  };
  return model;
}

function service(kv: KeyValue, model: AnswerModel, release?: string) {
  const log = pino({ level: 'silent' });
  return createAnswerService({
    store: new ManualIndexStore(db),
    // Never consulted: the manual is ready, so no answer waits for it.
    manuals: {} as never,
    model,
    cache: new LayeredCache<CachedAnswer>({ name: 'answers', kv, log }),
    conversations: new ConversationStore(db, 90),
    metrics: createTelemetry().m,
    log,
    waitForManualMs: 1_000,
    ...(release ? { release } : {}),
  });
}

async function ask(answers: ReturnType<typeof service>, id: string): Promise<string> {
  // A turn is recorded under a live session.
  await new SessionStore(db, { max: 10, metrics: createTelemetry().m }).use(`session-${id}`, { fresh: true });
  const pieces: string[] = [];
  await answers.answer(
    { id, sessionId: `session-${id}`, product: PRODUCT, question: 'How do I do a factory reset?' },
    { chunk: (piece) => pieces.push(piece), signal: new AbortController().signal },
  );
  return pieces.join('');
}

describe('the answer cache across releases', () => {
  it('shares answers within a release and computes them anew in the next one', async () => {
    const kv = createMemoryKv();
    const model = countingModel();
    const first = await ask(service(kv, model, '1.4.0'), 'a1');
    expect(first).toMatch(/Hold SHIFT/);
    expect(model.computed).toBe(1);

    // Another process of the same release (a second gateway, the warming worker): a cache hit.
    expect(await ask(service(kv, model, '1.4.0'), 'a2')).toBe(first);
    expect(model.computed).toBe(1);

    // The next release, same model name, same shared cache: its own answer.
    expect(await ask(service(kv, model, '1.5.0'), 'a3')).toBe(first);
    expect(model.computed).toBe(2);
  });
});
