/**
 * The services, built from the infrastructure: just-in-time manuals and answers for the gateway, and
 * every background job (the manual processors, the maintenance tasks, the samplers) for whichever
 * process runs jobs: the worker, or an embedded gateway, which has no separate worker.
 */
import type { Logger } from 'pino';
import type { AppConfig } from '../shared/config.js';
import type { Infrastructure } from './infrastructure.js';
import type { Product } from '../core/catalog/product.js';
import type { Telemetry } from '../shared/telemetry/registry.js';
import type { AnswerPort, ManualPort } from '../core/ports.js';
import { activeManualHosts } from '../core/catalog/import.js';
import { startMaintenance, type MaintenanceTask } from '../adapters/jobs/maintenance.js';
import { sampleQueueDepth, timed } from '../adapters/jobs/queue-metrics.js';
import { LayeredCache } from '../adapters/cache/layered-cache.js';
import { ConversationStore, purgeExpired } from '../core/conversations/conversation-store.js';
import { purgeExpiredSessions } from '../core/sessions/session-store.js';
import { ManualIndexStore } from '../core/manuals/index-store.js';
import { createManualService, MANUALS_QUEUE, MANUALS_URGENT_QUEUE } from '../core/manuals/manual-service.js';
import { createTieredQueue } from '../adapters/jobs/tiered-queue.js';
import { createManualProcessor } from '../core/manuals/manual-processor.js';
import { loadDemoManuals, type DemoManuals } from '../core/manuals/demo/demo-manuals.js';
import { sampleManualStatuses } from '../core/manuals/status-metrics.js';
import { chooseExtractor } from '../core/manuals/extract.js';
import { createAnswerService, type CachedAnswer } from '../core/answers/answer-service.js';
import { createExtractiveModel } from '../core/answers/extractive.js';
import { createOpenAiCompatibleModel } from '../core/answers/openai.js';
import { AnswerModelError } from '../core/answers/model.js';
import { createBreaker } from '../core/resilience/breaker.js';

const MAINTENANCE_QUEUE = 'maintenance';

export interface ServicesDeps {
  config: AppConfig;
  infra: Infrastructure;
  log: Logger;
  telemetry: Telemetry;
  /** The catalog: product names focus answer retrieval, products name their manual's URL. */
  product: (id: string) => Product | undefined;
  /** The gateway's own base URL once listening: demo manuals are served from it. A worker has none. */
  ownUrl?: () => string | undefined;
}

export interface Services {
  manuals: ManualPort;
  answers: AnswerPort;
  /** The bundled demo manuals, which the gateway serves (manuals/demo/routes.ts). */
  demoManuals: DemoManuals;
  /** Where a citation link to the product's manual leads: the bundled demo manual or the manual's own URL. */
  manualLink(productId: string): string | undefined;
  /** Starts every background job in this process; the worker calls it, and an embedded gateway. */
  startJobs(): Promise<Jobs>;
  close(): Promise<void>;
}

export interface Jobs {
  /** What /readyz tells about manual processing here: the text extractor in use. */
  readinessDetails(): Record<string, string>;
  /** Stops the samplers; the queues (and their workers) close with the infrastructure. */
  close(): Promise<void>;
}

export async function buildServices(deps: ServicesDeps): Promise<Services> {
  const { config, infra, log, telemetry } = deps;
  const ownOrigin = () => config.server.publicUrl ?? deps.ownUrl?.();
  const store = new ManualIndexStore(infra.db);
  const demoManuals = await loadDemoManuals({ enabled: config.manuals.demo, baseUrl: ownOrigin });
  const resolveUrl = (product: Product): string | undefined => product.manualUrl ?? demoManuals.urlOf(product.id);

  // Two lines with their own workers: urgent manuals never wait for a worker that bulk requests hold.
  const manualsQueue = createTieredQueue(infra.queue(MANUALS_QUEUE), infra.queue(MANUALS_URGENT_QUEUE), {
    urgentConcurrency: config.worker.urgentConcurrency,
  });
  // One retry policy for the queue and the processor: the last attempt fails the manual, the others say when the next starts.
  const retry = {
    attempts: config.manuals.attempts,
    backoffMs: config.manuals.retrySeconds * 1000,
    failedCooldownMs: config.manuals.failedCooldownSeconds * 1000,
    permanentFailureCooldownMs: config.manuals.permanentFailureCooldownSeconds * 1000,
  };
  const manuals = createManualService({
    store,
    queue: manualsQueue,
    bus: infra.bus,
    resolveUrl,
    log,
    staleAfterMs: config.worker.lockSeconds * 1000,
    retry,
    fairness: config.manuals.fairness,
    queueMax: config.manuals.queueMax,
    isDemo: (url) => demoManuals.pathOf(url) !== undefined,
  });
  const extractive = createExtractiveModel();
  const model = config.answers.llm
    ? createOpenAiCompatibleModel({
        baseUrl: config.answers.llm.baseUrl,
        model: config.answers.llm.model,
        apiKey: config.answers.llm.apiKey,
      })
    : extractive;
  // A customer closing the socket says nothing about the LLM's health.
  const llmBreaker = config.answers.llm
    ? createBreaker({ name: 'llm', log, ignore: (e) => e instanceof AnswerModelError && e.code === 'cancelled' })
    : undefined;
  const manualHostsBreaker = createBreaker({
    name: 'manual-hosts',
    log,
    volumeThreshold: 10,
    ignore: (e) => (e as { permanent?: unknown }).permanent === true,
  });
  const conversations = new ConversationStore(infra.db, config.privacy.retentionDays);
  const answers = createAnswerService({
    store,
    manuals,
    model,
    ...(llmBreaker ? { breaker: llmBreaker, fallbackModel: extractive } : {}),
    cache: new LayeredCache<CachedAnswer>({ name: 'answers', kv: infra.kv, metrics: telemetry.m, log }),
    conversations,
    metrics: telemetry.m,
    log,
    waitForManualMs: config.answers.waitSeconds * 1000,
    jobsReachable: async () => void (await manualsQueue.counts()),
    productName: deps.product,
    ...(process.env.APP_RELEASE ? { release: process.env.APP_RELEASE } : {}),
  });

  const maintenanceTasks: MaintenanceTask[] = [
    {
      // Conversations and audit rows past the retention period, sessions past their life.
      name: 'purge-expired',
      everyMs: 60 * 60 * 1000,
      run: async () => ({
        ...(await purgeExpired(infra.db, config.privacy.retentionDays)),
        ...(await purgeExpiredSessions(infra.db, config.privacy.retentionDays)),
      }),
    },
    {
      // Redis may have lost jobs (restart, failover): Postgres says which manuals should have one.
      name: 'reconcile-manuals',
      everyMs: 60_000,
      run: async () => {
        let requeued = 0;
        for (const manual of await store.inFlight(new Date(Date.now() - 60_000))) {
          if (await manualsQueue.has(manual.id)) continue;
          await manualsQueue.enqueue(manual.id, { productId: manual.productId }, retry);
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
        let warmed = 0;
        for (const { productId, question } of await conversations.mostAsked(50))
          if (await answers.warm(productId, question)) warmed += 1;
        return { warmed };
      },
    },
  ];

  const startJobs = async (): Promise<Jobs> => {
    const extractor = await chooseExtractor();
    if (extractor.name === 'pdftotext') log.info({ extractor: extractor.name }, 'manual text extractor: pdftotext');
    else
      log.warn(
        { extractor: extractor.name },
        'manual text extractor: pdf.js in a child process (pdftotext is not on PATH; install poppler-utils for the faster path)',
      );
    manualsQueue.work(
      timed(
        MANUALS_QUEUE,
        createManualProcessor({
          store,
          publish: (body) => manuals.publish(body),
          sources: async () => {
            const own = ownOrigin();
            return {
              allowedHosts: await activeManualHosts(infra.db.read),
              explicitHosts: config.manuals.hosts,
              explicitOrigins: own ? [new URL(own).origin] : [],
            };
          },
          retry,
          maxBytes: config.manuals.maxBytes,
          bounds: config.manuals.bounds,
          breaker: manualHostsBreaker,
          download: demoManuals.download,
          extractor: extractor.extract,
          metrics: telemetry.m,
          log,
        }),
        telemetry.m,
        config.manuals.attempts,
      ),
      { concurrency: config.worker.concurrency },
    );
    const maintenance = infra.queue(MAINTENANCE_QUEUE);
    await startMaintenance(maintenance, maintenanceTasks, telemetry.m, log);
    const stops = [
      sampleQueueDepth(manualsQueue, telemetry.m),
      sampleManualStatuses(store, telemetry.m),
      sampleQueueDepth(maintenance, telemetry.m),
    ];
    return {
      readinessDetails: () => ({ extractor: extractor.name }),
      async close() {
        for (const stop of stops) stop();
      },
    };
  };

  return {
    manuals,
    answers,
    demoManuals,
    manualLink(productId) {
      const product = deps.product(productId);
      const url = product ? resolveUrl(product) : undefined;
      return url ? (demoManuals.pathOf(url) ?? url) : undefined;
    },
    startJobs,
    async close() {
      llmBreaker?.shutdown();
      manualHostsBreaker.shutdown();
    },
  };
}
