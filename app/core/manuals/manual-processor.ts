/**
 * The `manuals` job: fetch (guarded) → extract (child process) → chunk (worker thread) → index (in
 * batches), each bounded by the PDF's size (./bounds.ts), with every
 * status change and throttled progress published for the sockets that watch the manual. Progress is
 * bytes downloaded (0 → 0.5), then extraction and indexing (0.5 → 1).
 */
import type { Logger } from 'pino';
import { ManualError, ManualFetchError } from './errors.js';
import { CircuitOpenError, type Breaker } from '../resilience/breaker.js';
import { fetchManual } from './fetch.js';
import type { Extractor } from './extract.js';
import { boundsFor, tooManyChunks, type ManualBoundsSettings } from './bounds.js';
import { chunkOffThread } from './chunk-off-thread.js';
import { manualIdFor, type ManualIndexStore } from './index-store.js';
import { frameOf, ManualJob, type ManualRetryPolicy } from './manual-service.js';
import type { ManualFrameBody } from '../../shared/protocol.js';
import { PermanentJobError, retryDelayMs, type JobHandler } from '../../adapters/jobs/queue.js';
import type { Instruments } from '../../shared/telemetry/registry.js';

export interface ManualSources {
  /** Catalog manual hosts: allowed when they resolve to public addresses. */
  allowedHosts: string[];
  /** MANUAL_HOSTS: allowed even on private addresses. */
  explicitHosts: string[];
  /** The app's own origin, for demo manuals: trusted on exactly that scheme, host and port. */
  explicitOrigins: string[];
}

export interface ManualProcessorDeps {
  store: ManualIndexStore;
  publish(body: ManualFrameBody): Promise<void>;
  sources: () => Promise<ManualSources>;
  /** The same policy the jobs were enqueued with: the last attempt fails the manual, the others say when the next starts. */
  retry: ManualRetryPolicy;
  maxBytes?: number;
  /** Pages, text and chunks a manual may have per MiB of PDF (./bounds.ts); the defaults when unset. */
  bounds?: ManualBoundsSettings;
  /** pdftotext or pdf.js, both in a child process (see ./extract.ts). */
  extractor: Extractor;
  /** Guards the manual hosts: while open, downloads fail fast and are retried later. */
  breaker?: Breaker;
  /** How a stored manual URL is downloaded (the guarded fetcher, unless the caller maps some URLs first). */
  download?: typeof fetchManual;
  /** The manuals SLO: request-to-final-status time, observed once per manual when it ends ready or failed. */
  metrics?: Pick<Instruments, 'manualRequestSeconds'>;
  log: Logger;
}

const PROGRESS_EVERY_MS = 200;

export function createManualProcessor(deps: ManualProcessorDeps): JobHandler<unknown> {
  const { store, publish, log } = deps;
  const extract = deps.extractor;

  return async (job) => {
    const parsed = ManualJob.safeParse(job.data);
    if (!parsed.success) throw new PermanentJobError('malformed manual job payload');
    const id = manualIdFor(parsed.data.productId);
    const record = await store.get(id);
    if (!record) throw new PermanentJobError(`manual ${id} no longer exists`);
    if (record.status === 'ready') return; // a duplicate delivery after success
    const jobLog = log.child({ productId: record.productId, attempt: job.attempt });
    const { requestedAt } = parsed.data;
    const settled = (outcome: 'ready' | 'failed') => {
      if (requestedAt !== undefined)
        deps.metrics?.manualRequestSeconds.observe({ outcome }, Math.max(0, Date.now() - requestedAt) / 1000);
    };

    try {
      let lastPublished = 0;
      const fetching = await store.setStatus(id, 'fetching');
      await publish(frameOf(fetching, 0));
      const sources = await deps.sources();
      const fetchFrom = deps.download ?? fetchManual;
      const download = (): ReturnType<typeof fetchManual> =>
        fetchFrom(record.url, {
          ...sources,
          ...(deps.maxBytes ? { maxBytes: deps.maxBytes } : {}),
          signal: job.signal,
          onProgress: ({ bytesReceived, totalBytes }) => {
            if (Date.now() - lastPublished < PROGRESS_EVERY_MS) return;
            lastPublished = Date.now();
            const share = totalBytes
              ? Math.min(1, bytesReceived / totalBytes)
              : 1 - 1 / (1 + bytesReceived / 1_000_000);
            void publish({
              ...frameOf(fetching, 0.5 * share),
              bytes: bytesReceived,
              ...(totalBytes ? { totalBytes } : {}),
            }).catch(() => undefined);
          },
        });
      const fetched = await (deps.breaker ? deps.breaker.run(download) : download()).catch((error: unknown) => {
        if (error instanceof CircuitOpenError)
          throw new ManualFetchError('network', 'manual downloads are paused after repeated failures', false);
        throw error;
      });
      if (fetched.sha256 === record.contentHash && record.pages !== undefined) {
        // Same bytes as the index we already have: no need to extract again.
        const unchanged = await store.setStatus(id, 'ready');
        await publish(frameOf(unchanged));
        settled('ready');
        return;
      }
      const indexing = await store.setStatus(id, 'indexing', { bytes: fetched.bytes });
      await publish({ ...frameOf(indexing, 0.5), bytes: fetched.bytes });
      const bounds = boundsFor(fetched.bytes, deps.bounds);
      const extracted = await extract(fetched.body, {
        maxOutputBytes: bounds.maxTextBytes,
        maxPages: bounds.maxPages,
        signal: job.signal,
      });
      await publish({ ...frameOf(indexing, 0.75), pages: extracted.pageCount });
      const chunks = await chunkOffThread(extracted.pages, { maxChunks: bounds.maxChunks }, job.signal);
      if (chunks.length > bounds.maxChunks) throw tooManyChunks(fetched.bytes, bounds.maxChunks);
      const ready = await store.replaceChunks(id, chunks, {
        pages: extracted.pageCount,
        contentHash: fetched.sha256,
        bytes: fetched.bytes,
      });
      await publish(frameOf(ready));
      settled('ready');
      jobLog.info({ pages: extracted.pageCount, chunks: chunks.length, bytes: fetched.bytes }, 'manual ready');
    } catch (error) {
      const permanent = error instanceof ManualError ? error.permanent : false;
      const reason = error instanceof ManualError ? error.message : 'an unexpected error interrupted the manual';
      if (permanent || job.attempt >= deps.retry.attempts) {
        // Until the cool-down ends, a select shows this failure instead of downloading again.
        const cooldownMs = permanent ? deps.retry.permanentFailureCooldownMs : deps.retry.failedCooldownMs;
        const failed = await store.setStatus(id, 'failed', {
          error: reason,
          retryAt: new Date(Date.now() + cooldownMs),
        });
        await publish(frameOf(failed));
        settled('failed');
        jobLog.warn({ err: error }, 'manual failed');
        throw new PermanentJobError(reason);
      }
      // Retryable: back to queued, with the reason and when the queue will start the next attempt.
      const retryAt = new Date(Date.now() + retryDelayMs(deps.retry.backoffMs, job.attempt));
      const queued = await store.setStatus(id, 'queued', { error: `retrying: ${reason}`, retryAt });
      await publish(frameOf(queued));
      jobLog.warn({ err: error }, 'manual attempt failed; will retry');
      throw error;
    }
  };
}
