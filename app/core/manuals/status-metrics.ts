/** Samples how many manuals are in each status into `manuals_by_status`, where the manual processors run. */
import { MANUAL_STATUSES } from '../../shared/protocol.js';
import type { Instruments } from '../../shared/telemetry/registry.js';
import type { ManualIndexStore } from './index-store.js';

/** Starts sampling every `intervalMs`; returns the function that stops it. */
export function sampleManualStatuses(store: ManualIndexStore, metrics: Instruments, intervalMs = 15_000): () => void {
  const sample = async () => {
    // Database unavailable: keep the last sample; the database alerts say why.
    const counts = await store.countByStatus().catch(() => undefined);
    if (!counts) return;
    for (const status of MANUAL_STATUSES) metrics.manualsByStatus.set({ status }, counts[status] ?? 0);
  };
  void sample();
  const timer = setInterval(() => void sample(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
