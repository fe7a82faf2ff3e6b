/** Queue depth and job duration metrics, for whichever process runs the workers. */
import type { Instruments } from '../../shared/telemetry/registry.js';
import { isPermanent, type JobHandler, type JobQueue } from './queue.js';

/** Wraps a handler so every run is timed by outcome: ok, retry (will run again) or failed (final). */
export function timed<T>(queue: string, handler: JobHandler<T>, metrics: Instruments, attempts: number): JobHandler<T> {
  return async (job) => {
    const end = metrics.jobDurationSeconds.startTimer({ queue });
    try {
      await handler(job);
      end({ outcome: 'ok' });
    } catch (error) {
      end({ outcome: isPermanent(error) || job.attempt >= attempts ? 'failed' : 'retry' });
      throw error;
    }
  };
}

/** Samples the queue's counts into `queue_depth` every `intervalMs`; returns a stop function. */
export function sampleQueueDepth(queue: JobQueue, metrics: Instruments, intervalMs = 5_000): () => void {
  const sample = async () => {
    try {
      const counts = await queue.counts();
      for (const [state, value] of Object.entries(counts)) metrics.queueDepth.set({ queue: queue.name, state }, value);
    } catch {
      // Redis unavailable: keep the last sample; the Redis alerts say why.
    }
  };
  void sample();
  const timer = setInterval(() => void sample(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
