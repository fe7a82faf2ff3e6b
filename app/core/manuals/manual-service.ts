/**
 * Just-in-time manuals, the gateway's side: a confident prediction or a `select` ensures the product's
 * manual (ready → nothing to do; missing → queued, job id = manual id, so concurrent triggers enqueue
 * once), and status changes published by whichever worker runs the job reach every subscribed socket.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Bus } from '../../adapters/bus/bus.js';
import type { Product } from '../catalog/product.js';
import { UserFacingError, type ManualPort } from '../ports.js';
import type { EnqueueOptions, JobPriority, JobQueue } from '../../adapters/jobs/queue.js';
import { ManualFairness, type FairnessLimits } from './fairness.js';
import { MANUAL_STATUSES, QUEUED_REASONS, type ManualFrameBody } from '../../shared/protocol.js';
import { manualIdFor, type ManualIndexStore, type ManualRecord } from './index-store.js';

export const MANUALS_QUEUE = 'manuals';
/** Manuals a question waits on, and demo or small ones (see jobs/tiered-queue.ts). */
export const MANUALS_URGENT_QUEUE = 'manuals-urgent';

/** `requestedAt` (epoch ms) lets the worker measure the manuals SLO from the request, not from its own start. */
export const ManualJob = z.object({ productId: z.string().min(1).max(200), requestedAt: z.number().optional() });
export type ManualJob = z.infer<typeof ManualJob>;

const ManualEvent = z.object({
  productId: z.string(),
  status: z.enum(MANUAL_STATUSES),
  progress: z.number().min(0).max(1),
  pages: z.number().int().optional(),
  error: z.string().optional(),
  bytes: z.number().optional(),
  totalBytes: z.number().optional(),
  retryInMs: z.number().optional(),
  queuedReason: z.enum(QUEUED_REASONS).optional(),
});

const IN_FLIGHT: readonly ManualRecord['status'][] = ['queued', 'fetching', 'indexing'];

export const manualChannel = (productId: string) => `manual:${productId}`;

/** Where a product's manual comes from: its catalog URL, or a bundled demo manual. */
export type ManualUrlResolver = (product: Product) => string | undefined;

export function frameOf(record: ManualRecord, progress?: number): ManualFrameBody {
  return {
    productId: record.productId,
    status: record.status,
    progress: record.status === 'ready' ? 1 : (progress ?? 0),
    ...(record.pages !== undefined ? { pages: record.pages } : {}),
    ...(record.error ? { error: record.error } : {}),
    // Relative, not a timestamp: the browser's clock need not agree with ours.
    // v5 `cooldown`: back in the line after a failed attempt, waiting out its backoff.
    ...(record.status === 'queued' && record.retryAt
      ? { retryInMs: Math.max(0, record.retryAt.getTime() - Date.now()), queuedReason: 'cooldown' as const }
      : {}),
  };
}

/** The attempts a manual job gets and the first retry's delay: the queue and the processor must agree. */
export interface ManualRetryPolicy {
  attempts: number;
  backoffMs: number;
  /**
   * How long a failed manual stays failed before a `select` may start it again (the processor stamps
   * the end of the cool-down as the failed record's `retryAt`): after a transient failure, and after a
   * permanent one (404, not a PDF), which another try is unlikely to change. A changed URL starts over at once.
   */
  failedCooldownMs: number;
  permanentFailureCooldownMs: number;
}

/** A manual at most this large (known from an earlier download) is quick to prepare: it does not wait behind bulk. */
const SMALL_MANUAL_BYTES = 2 * 1024 * 1024;

export interface ManualServiceDeps {
  store: ManualIndexStore;
  queue: JobQueue;
  bus: Bus;
  resolveUrl: ManualUrlResolver;
  log: Logger;
  /**
   * A manual in flight whose record has not moved for this long lost its worker (a worker's lock
   * outlives it by no more than this: JOB_LOCK_SECONDS).
   */
  staleAfterMs: number;
  retry: ManualRetryPolicy;
  /** Each requester's share of manual preparation. */
  fairness: FairnessLimits;
  /** Manual jobs waiting (or delayed) at most; beyond it a new manual is refused with `unavailable`. */
  queueMax: number;
  /** Bundled demo manuals are small and quick: they are prepared ahead of bulk requests. */
  isDemo: (url: string) => boolean;
}

export function createManualService(
  deps: ManualServiceDeps,
): ManualPort & { publish(body: ManualFrameBody): Promise<void> } {
  const { store, queue, bus, resolveUrl, log } = deps;
  // A manual waiting out its retry's backoff has not moved for a reason: it is not stuck.
  const isStuck = (record: ManualRecord) =>
    IN_FLIGHT.includes(record.status) &&
    Date.now() - record.updatedAt.getTime() > deps.staleAfterMs &&
    !(record.retryAt && record.retryAt.getTime() > Date.now());
  const publish = (body: ManualFrameBody) => bus.publish(manualChannel(body.productId), body);
  const jobOptions: EnqueueOptions = { attempts: deps.retry.attempts, backoffMs: deps.retry.backoffMs };
  const fairness = new ManualFairness(deps.fairness, async (id) => {
    const record = await store.get(id);
    return record !== undefined && IN_FLIGHT.includes(record.status);
  });
  const priorityOf = (url: string, record: ManualRecord, urgent: boolean): JobPriority =>
    urgent || deps.isDemo(url) || (record.bytes !== undefined && record.bytes <= SMALL_MANUAL_BYTES)
      ? 'urgent'
      : 'normal';
  const noManual = (productId: string): ManualFrameBody => ({
    productId,
    status: 'none',
    progress: 0,
    error: 'no manual is available for this product',
  });

  return {
    publish,
    async ensure(product, options = {}) {
      const url = resolveUrl(product);
      if (!url) return noManual(product.id);
      const record = await store.upsert(product.id, url);
      // A failed manual's record holds the end of its cool-down: until then a select shows the failure.
      const cooling =
        record.status === 'failed' && record.retryAt !== undefined && record.retryAt.getTime() > Date.now();
      const startable: ManualRecord['status'][] = options.retry && !cooling ? ['none', 'failed'] : ['none'];
      const priority = priorityOf(url, record, options.urgent === true);
      if (options.retry && isStuck(record)) {
        // Its worker died mid-job (kill -9): hand the job out again now rather than at the next
        // reconciliation. A job that still exists (a stalled BullMQ job) is not duplicated: the queue
        // takes it over itself once its lock has expired.
        if (!(await queue.has(record.id)))
          await queue.enqueue(record.id, { productId: product.id } satisfies ManualJob, { ...jobOptions, priority });
        log.info({ productId: product.id, status: record.status }, 'stuck manual re-ensured');
        return frameOf(record);
      }
      if (!startable.includes(record.status)) {
        // A question now waits on a manual still in the line: it moves up (enqueue never duplicates it).
        if (priority === 'urgent' && record.status === 'queued' && !record.retryAt)
          await queue.enqueue(record.id, { productId: product.id } satisfies ManualJob, { ...jobOptions, priority });
        return frameOf(record);
      }
      const admission = options.requester ? await fairness.admit(options.requester) : undefined;
      if (admission && !admission.ok)
        return {
          productId: product.id,
          status: 'queued',
          progress: 0,
          queuedReason: 'fair_share',
          retryInMs: admission.retryInMs,
        };
      const ticket = admission?.ticket;
      let claimed: ManualRecord | undefined;
      try {
        const counts = await queue.counts();
        if (counts.waiting + counts.delayed >= deps.queueMax)
          throw new UserFacingError(
            'unavailable',
            'too many manuals are waiting to be prepared right now; please try again in a few minutes',
          );
        claimed = await store.transition(record.id, startable, 'queued');
        if (!claimed) return frameOf((await store.get(record.id)) ?? record); // another trigger won the race
        await queue.enqueue(
          manualIdFor(product.id),
          { productId: product.id, requestedAt: Date.now() } satisfies ManualJob,
          { ...jobOptions, priority },
        );
        if (ticket) fairness.started(ticket, record.id);
      } finally {
        // Not queued after all (refused, another trigger won, or the queue failed): the share is free again.
        if (ticket) fairness.released(ticket);
      }
      log.info({ productId: product.id, priority }, 'manual queued');
      const body = frameOf(claimed);
      await publish(body);
      return body;
    },
    async status(product) {
      if (!resolveUrl(product)) return noManual(product.id);
      const record = await store.get(manualIdFor(product.id));
      return record ? frameOf(record) : { productId: product.id, status: 'none', progress: 0 };
    },
    async watch(productId, listener) {
      return bus.subscribe(manualChannel(productId), (message) => {
        const event = ManualEvent.safeParse(message);
        if (event.success) listener(event.data as ManualFrameBody);
        else log.warn({ productId }, 'ignored a malformed manual event');
      });
    },
  };
}
