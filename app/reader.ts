/**
 * The Reader, composed: just-in-time manuals (service for the gateway, processor for the workers),
 * answers (model, cache, conversation history), the routes that serve demo manuals and open a manual
 * at a cited page, and the Reader's maintenance tasks (reconciler, answer-cache regeneration).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AppConfig } from './config.js';
import type { Infrastructure } from './infrastructure.js';
import type { Product } from './catalog/product.js';
import type { Telemetry } from './telemetry/registry.js';
import type { AnswerPort, ManualPort } from './ports.js';
import type { MaintenanceTask } from './jobs/maintenance.js';
import { sampleQueueDepth, timed } from './jobs/queue-metrics.js';
import { LayeredCache } from './cache/layered-cache.js';
import { ConversationStore } from './conversations/conversation-store.js';
import { ManualIndexStore } from './manuals/index-store.js';
import { createManualService, MANUALS_QUEUE } from './manuals/manual-service.js';
import { createManualProcessor } from './manuals/manual-processor.js';
import { readDemoManifest, readDemoManual, type DemoManifestEntry } from './manuals/demo/manifest.js';
import { fetchManual } from './manuals/fetch.js';
import { chooseExtractor } from './manuals/extract.js';
import { ManualFetchError } from './manuals/errors.js';
import { createAnswerService, type CachedAnswer } from './answers/answer-service.js';
import { createExtractiveModel } from './answers/extractive.js';
import { createOpenAiCompatibleModel } from './answers/openai.js';
import { AnswerModelError } from './answers/model.js';
import { createBreaker } from './resilience/breaker.js';

export interface ReaderDeps {
  config: AppConfig;
  infra: Infrastructure;
  log: Logger;
  telemetry: Telemetry;
  /** The gateway's own base URL once listening (demo manuals are fetched from it); undefined in a worker. */
  publicUrl: () => string | undefined;
  product: (id: string) => Product | undefined;
}

export interface Reader {
  manuals: ManualPort;
  answers: AnswerPort;
  routes: (app: FastifyInstance) => Promise<void>;
  maintenanceTasks: MaintenanceTask[];
  /** Runs the manual processors in this process (the worker, or an embedded gateway). */
  startWorkers(): void;
  /** What /readyz tells about manual processing here: the text extractor, once the processors run. */
  readinessDetails(): Record<string, string>;
  close(): Promise<void>;
}

const DEMO_SCHEME = 'demo:';
const ProductParams = z.object({ productId: z.string().min(1).max(200) });
const FileParams = z.object({ file: z.string().regex(/^[a-z0-9-]+\.pdf$/) });

async function catalogManualHosts(infra: Infrastructure): Promise<string[]> {
  const { rows } = await infra.db.read.query<{ url: string }>(
    'SELECT DISTINCT manual_url AS url FROM products WHERE manual_url IS NOT NULL AND retired_at IS NULL',
  );
  return [...new Set(rows.map((r) => new URL(r.url).hostname.toLowerCase()))];
}

export async function createReader(deps: ReaderDeps): Promise<Reader> {
  const { config, infra, log, telemetry } = deps;
  const store = new ManualIndexStore(infra.db);
  const demo = config.manuals.demo ? await readDemoManifest() : undefined;
  const demoByProduct = new Map<string, DemoManifestEntry>((demo?.manuals ?? []).map((m) => [m.productId, m]));
  const demoByFile = new Map<string, DemoManifestEntry>((demo?.manuals ?? []).map((m) => [m.file, m]));

  // A demo manual is stored as `demo:<file>`, not as one gateway's own address: with several gateways
  // each would otherwise rewrite the others' URL and reset their ready manuals.
  const resolveUrl = (product: Product): string | undefined => {
    if (product.manualUrl) return product.manualUrl;
    const entry = demoByProduct.get(product.id);
    return entry ? `${DEMO_SCHEME}${entry.file}` : undefined;
  };
  const demoEntryOf = (url: string) =>
    url.startsWith(DEMO_SCHEME) ? demoByFile.get(url.slice(DEMO_SCHEME.length)) : undefined;
  /** Demo manuals are fetched from the app that serves them when its address is known, else read from the bundle. */
  const download: typeof fetchManual = async (url, options) => {
    if (!url.startsWith(DEMO_SCHEME)) return fetchManual(url, options);
    const entry = demoEntryOf(url);
    if (!entry)
      throw new ManualFetchError('not_found', 'this demo manual is not bundled with this version of the app', true);
    const base = config.publicUrl ?? deps.publicUrl();
    if (base) return fetchManual(`${base}/demo/manuals/${entry.file}`, options);
    const body = await readDemoManual(entry);
    return {
      body,
      url,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      contentType: 'application/pdf',
    };
  };

  const queue = infra.queue(MANUALS_QUEUE);
  const manuals = createManualService({
    store,
    queue,
    bus: infra.bus,
    resolveUrl,
    log,
    staleAfterMs: config.worker.lockSeconds * 1000,
  });
  const extractive = createExtractiveModel();
  const model = config.llm
    ? createOpenAiCompatibleModel({ baseUrl: config.llm.baseUrl, model: config.llm.model, apiKey: config.llm.apiKey })
    : extractive;
  // A customer closing the socket says nothing about the LLM's health.
  const llmBreaker = config.llm
    ? createBreaker({ name: 'llm', log, ignore: (e) => e instanceof AnswerModelError && e.code === 'cancelled' })
    : undefined;
  const manualHostsBreaker = createBreaker({
    name: 'manual-hosts',
    log,
    volumeThreshold: 10,
    ignore: (e) => (e as { permanent?: unknown }).permanent === true,
  });
  const cache = new LayeredCache<CachedAnswer>({ name: 'answers', kv: infra.kv, metrics: telemetry.m, log });
  const conversations = new ConversationStore(infra.db);
  const answers = createAnswerService({
    store,
    manuals,
    model,
    ...(llmBreaker ? { breaker: llmBreaker, fallbackModel: extractive } : {}),
    cache,
    conversations,
    metrics: telemetry.m,
    log,
    waitForManualMs: config.manuals.answerWaitSeconds * 1000,
    jobsReachable: async () => void (await queue.counts()),
    productName: deps.product,
  });
  const stops: Array<() => void> = [];
  const extractor = await chooseExtractor();
  let working = false;

  const maintenanceTasks: MaintenanceTask[] = [
    {
      // Redis may have lost jobs (restart, failover): Postgres says which manuals should have one.
      name: 'reconcile-manuals',
      everyMs: 60_000,
      run: async () => {
        let requeued = 0;
        for (const manual of await store.inFlight(new Date(Date.now() - 60_000))) {
          if (await queue.has(manual.id)) continue;
          await queue.enqueue(manual.id, { productId: manual.productId });
          requeued += 1;
        }
        return { requeued };
      },
    },
    {
      // The most asked questions of the last day stay answered from cache, even after a cache flush.
      name: 'warm-answer-cache',
      everyMs: 15 * 60_000,
      run: async () => {
        const { rows } = await infra.db.read.query<{ product_id: string; question: string }>(
          `SELECT product_id, lower(question) AS question FROM conversation_turns
            WHERE outcome = 'ok' AND created_at > now() - interval '1 day'
            GROUP BY product_id, lower(question) ORDER BY count(*) DESC LIMIT 50`,
        );
        let warmed = 0;
        for (const row of rows) if (await answers.warm(row.product_id, row.question)) warmed += 1;
        return { warmed };
      },
    },
  ];

  return {
    manuals,
    answers,
    maintenanceTasks,
    async routes(app) {
      app.get('/demo/manuals/:file', async (request, reply) => {
        const params = FileParams.safeParse(request.params);
        const entry = params.success ? demoByFile.get(params.data.file) : undefined;
        if (!entry) return reply.code(404).send({ error: 'not_found', message: 'no such demo manual' });
        return reply
          .type('application/pdf')
          .header('cache-control', 'public, max-age=3600')
          .send(await readDemoManual(entry));
      });
      // Citation links open the manual at a page: `/manuals/<productId>.pdf#page=N`.
      app.get('/manuals/:productId.pdf', async (request, reply) => {
        const params = ProductParams.safeParse(request.params);
        const product = params.success ? deps.product(params.data.productId) : undefined;
        const url = product ? resolveUrl(product) : undefined;
        if (!url) return reply.code(404).send({ error: 'not_found', message: 'no manual for this product' });
        const demo = demoEntryOf(url);
        return reply.redirect(demo ? `/demo/manuals/${demo.file}` : url, 302);
      });
    },
    startWorkers() {
      working = true;
      if (extractor.name === 'pdftotext') log.info({ extractor: extractor.name }, 'manual text extractor: pdftotext');
      else
        log.warn(
          { extractor: extractor.name },
          'manual text extractor: pdf.js in a child process (pdftotext is not on PATH; install poppler-utils for the faster path)',
        );
      const ownOrigins = () => {
        const base = config.publicUrl ?? deps.publicUrl();
        return base ? [new URL(base).origin] : [];
      };
      queue.work(
        timed(
          MANUALS_QUEUE,
          createManualProcessor({
            store,
            publish: (body) => manuals.publish(body),
            sources: async () => ({
              allowedHosts: await catalogManualHosts(infra),
              explicitHosts: config.manualHosts,
              explicitOrigins: ownOrigins(),
            }),
            attempts: config.manuals.attempts,
            maxBytes: config.manuals.maxBytes,
            breaker: manualHostsBreaker,
            download,
            extractor: extractor.extract,
            metrics: telemetry.m,
            log,
          }),
          telemetry.m,
          config.manuals.attempts,
        ),
        { concurrency: config.worker.concurrency },
      );
      stops.push(sampleQueueDepth(queue, telemetry.m));
      const sampleStatuses = async () => {
        const counts = await store.countByStatus().catch(() => undefined);
        if (!counts) return;
        for (const status of ['none', 'queued', 'fetching', 'indexing', 'ready', 'failed'] as const)
          telemetry.m.manualsByStatus.set({ status }, counts[status] ?? 0);
      };
      void sampleStatuses();
      const timer = setInterval(() => void sampleStatuses(), 15_000);
      timer.unref();
      stops.push(() => clearInterval(timer));
    },
    readinessDetails: (): Record<string, string> => (working ? { extractor: extractor.name } : {}),
    async close() {
      for (const stop of stops) stop();
      llmBreaker?.shutdown();
      manualHostsBreaker.shutdown();
    },
  };
}
