/**
 * Idle connections: open `count` sockets to one server process, hold them, and charge the growth of the
 * server's settled RSS to them. A warm-up round first (open and close a batch) so that code compiled
 * and pools sized on the first connections are not billed to the measured ones. The sockets are opened
 * in two halves with a settled reading between them: an idle process does not collect garbage, so the
 * first GCs that the opening triggers can return start-up garbage and make the growth from the baseline
 * understate the cost; the second half's slope (marginal cost) does not depend on the baseline.
 */
import { closeAll, countOpen, openSockets } from './connect.js';
import { sumCounts } from './counts.js';
import { loadAverage, rssKb, settledRssKb } from './proc-stats.js';
import type { LoadTarget } from './servers.js';
import { round } from '../measure.js';

export interface IdleReport {
  requested: number;
  held: number;
  failed: number;
  failures: Record<string, number>;
  /** What the server itself counts (the gateway's websocket_active_connections), when it exports it. */
  serverSideCount: number | undefined;
  openSeconds: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPeakWhileOpeningMb: number;
  rssPerConnectionKb: number;
  /** RSS growth over the second half of the sockets, per socket. */
  marginalRssPerConnectionKb: number;
  loadAverage: [number, number, number];
}

const WARMUP_SOCKETS = 500;

/** websocket_active_connections from the gateway's /metrics; undefined for a server without one. */
async function serverSideCount(metricsUrl: string | undefined): Promise<number | undefined> {
  if (!metricsUrl) return undefined;
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return undefined;
    const match = /^websocket_active_connections(?:\{[^}]*\})? (\d+)/m.exec(await response.text());
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function measureIdleConnections(
  target: LoadTarget,
  count: number,
  batch: number,
  progress: (m: string) => void,
): Promise<IdleReport> {
  const warmup = await openSockets(target.wsUrl, WARMUP_SOCKETS, batch, () => undefined);
  await closeAll(warmup.sockets);
  progress(`${target.name}: warm-up done, settling for the baseline`);
  const before = await settledRssKb(target.pid);

  let peakKb = before.maxKb;
  const peakSampler = setInterval(() => (peakKb = Math.max(peakKb, rssKb(target.pid))), 250);
  const firstHalf = await openSockets(target.wsUrl, Math.floor(count / 2), batch, (m) =>
    progress(`${target.name}: ${m}`),
  );
  const middle = await settledRssKb(target.pid);
  const secondHalf = await openSockets(target.wsUrl, count - Math.floor(count / 2), batch, (m) =>
    progress(`${target.name}: +${m}`),
  );
  clearInterval(peakSampler);
  const opened = {
    sockets: [...firstHalf.sockets, ...secondHalf.sockets],
    failed: firstHalf.failed + secondHalf.failed,
    failures: sumCounts(firstHalf.failures, secondHalf.failures),
    seconds: firstHalf.seconds + secondHalf.seconds,
  };
  progress(`${target.name}: ${opened.sockets.length} open in ${opened.seconds.toFixed(1)} s; holding and settling`);
  const after = await settledRssKb(target.pid);
  const held = countOpen(opened.sockets);
  const heldInSecondHalf = countOpen(secondHalf.sockets);
  const serverSide = await serverSideCount(target.metricsUrl);
  await closeAll(opened.sockets);

  return {
    requested: count,
    held,
    failed: opened.failed + (opened.sockets.length - held),
    failures: opened.failures,
    serverSideCount: serverSide,
    openSeconds: round(opened.seconds, 1),
    rssBeforeMb: round(before.medianKb / 1024, 1),
    rssAfterMb: round(after.medianKb / 1024, 1),
    rssPeakWhileOpeningMb: round(Math.max(peakKb, after.maxKb) / 1024, 1),
    rssPerConnectionKb: held > 0 ? round((after.medianKb - before.medianKb) / held, 2) : 0,
    marginalRssPerConnectionKb:
      heldInSecondHalf > 0 ? round((after.medianKb - middle.medianKb) / heldInSecondHalf, 2) : 0,
    loadAverage: loadAverage(),
  };
}
