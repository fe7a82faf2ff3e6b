/**
 * Background work: the manual processors and the maintenance schedule. The worker process starts it;
 * an embedded gateway starts it in-process.
 */
import type { Logger } from 'pino';
import type { AppConfig } from './config.js';
import type { Infrastructure } from './infrastructure.js';
import type { Telemetry } from './telemetry/registry.js';
import { startMaintenance, type MaintenanceTask } from './jobs/maintenance.js';
import { sampleQueueDepth } from './jobs/queue-metrics.js';
import { purgeExpired } from './conversations/conversation-store.js';

export interface BackgroundDeps {
  config: AppConfig;
  infra: Infrastructure;
  log: Logger;
  telemetry: Telemetry;
}

export interface BackgroundWork {
  close(): Promise<void>;
}

export const MAINTENANCE_QUEUE = 'maintenance';

export async function startBackgroundWork(
  deps: BackgroundDeps,
  extraTasks: readonly MaintenanceTask[] = [],
): Promise<BackgroundWork> {
  const { config, infra, log, telemetry } = deps;
  const maintenance = infra.queue(MAINTENANCE_QUEUE);
  const tasks: MaintenanceTask[] = [
    {
      // Conversations and audit rows past the retention period; session state expires in Redis by TTL.
      name: 'purge-expired',
      everyMs: 60 * 60 * 1000,
      run: async () => purgeExpired(infra.db, config.retentionDays),
    },
    ...extraTasks,
  ];
  await startMaintenance(maintenance, tasks, telemetry.m, log);
  const stopSampling = [sampleQueueDepth(maintenance, telemetry.m)];
  return {
    // The queues themselves (and their workers) close with the infrastructure.
    async close() {
      for (const stop of stopSampling) stop();
    },
  };
}
