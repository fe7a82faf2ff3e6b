/**
 * Repeatable maintenance on the `maintenance` queue: one schedule across all instances (BullMQ job
 * schedulers), run by whichever worker is free. Each task is a named function; the payload names it.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Instruments } from '../../shared/telemetry/registry.js';
import type { JobQueue } from './queue.js';
import { timed } from './queue-metrics.js';

export interface MaintenanceTask {
  name: string;
  everyMs: number;
  run(): Promise<Record<string, unknown> | undefined>;
}

const Payload = z.object({ task: z.string() });

export async function startMaintenance(
  queue: JobQueue,
  tasks: readonly MaintenanceTask[],
  metrics: Instruments,
  log: Logger,
): Promise<void> {
  const byName = new Map(tasks.map((t) => [t.name, t]));
  queue.work(
    timed(
      queue.name,
      async (job) => {
        const payload = Payload.safeParse(job.data);
        const task = payload.success ? byName.get(payload.data.task) : undefined;
        if (!task) {
          log.warn({ jobId: job.id }, 'maintenance job names no known task; dropped');
          return;
        }
        const result = await task.run();
        log.info({ task: task.name, ...(result ?? {}) }, 'maintenance task done');
      },
      metrics,
      1,
    ),
  );
  for (const task of tasks) await queue.every(task.name, task.everyMs, { task: task.name });
}
