/**
 * Sustained predictions against one server: `clients` closed-loop typists, split over `workers` worker
 * threads (0: in this thread), with the server's and this process's CPU use over the window, so the
 * report says which side was the bottleneck.
 */
import { Worker } from 'node:worker_threads';
import { latencySummary, round } from '../measure.js';
import { sumCounts } from './counts.js';
import { cpuSeconds, loadAverage } from './proc-stats.js';
import { runTypingLoop, type TypingLoopOptions, type TypingLoopResult } from './typing-loop.js';

export interface TypingLoadOptions {
  wsUrl: string;
  serverPid: number;
  clients: number;
  workers: number;
  texts: readonly string[];
  warmupMs: number;
  durationMs: number;
}

export interface TypingLoadReport {
  clients: number;
  loadGenerator: string;
  seconds: number;
  predictions: number;
  predictionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  errors: Record<string, number>;
  timeouts: number;
  connectFailures: number;
  /** CPU cores used during the whole run (warm-up included); ~1.0 for the server means its one JS thread was saturated. */
  serverCpuCores: number;
  loadGeneratorCpuCores: number;
  loadAverage: [number, number, number];
}

/** Worker threads do not inherit tsx's loader: register it in the worker, then load the TypeScript entry. */
const WORKER_BOOTSTRAP = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(
  new URL('./typing-worker.ts', import.meta.url).href,
)}); })`;

function inWorker(options: TypingLoopOptions): Promise<TypingLoopResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: options });
    worker.once('message', (result: TypingLoopResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`typing worker exited with ${code} before reporting`)));
  });
}

export async function runTypingLoad(
  options: TypingLoadOptions,
): Promise<{ report: TypingLoadReport; sampleItems: string | undefined }> {
  const shares =
    options.workers === 0
      ? [options.clients]
      : Array.from(
          { length: options.workers },
          (_, w) => Math.floor(options.clients / options.workers) + (w < options.clients % options.workers ? 1 : 0),
        );
  const base = {
    wsUrl: options.wsUrl,
    texts: options.texts,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
  };
  const serverCpuBefore = cpuSeconds(options.serverPid);
  const ownCpuBefore = process.cpuUsage();
  const started = performance.now();
  let firstClient = 0;
  const results = await Promise.all(
    shares.map((clients) => {
      const share: TypingLoopOptions = { ...base, clients, firstClient };
      firstClient += clients;
      return options.workers === 0 ? runTypingLoop(share) : inWorker(share);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const serverCpu = cpuSeconds(options.serverPid) - serverCpuBefore;

  const latencies = results.flatMap((r) => r.latenciesMs);
  const errors = sumCounts(...results.map((r) => r.errors));
  const predictions = results.reduce((sum, r) => sum + r.predictions, 0);
  return {
    report: {
      clients: options.clients,
      loadGenerator:
        options.workers === 0
          ? 'one thread of the bench process'
          : `${options.workers} worker thread${options.workers === 1 ? '' : 's'} of the bench process`,
      seconds: options.durationMs / 1000,
      predictions,
      predictionsPerSecond: round(predictions / (options.durationMs / 1000), 1),
      ...latencySummary(latencies),
      errors,
      timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
      connectFailures: results.reduce((sum, r) => sum + r.connectFailures, 0),
      serverCpuCores: round(serverCpu / elapsed, 2),
      loadGeneratorCpuCores: round((ownCpu.user + ownCpu.system) / 1e6 / elapsed, 2),
      loadAverage: loadAverage(),
    },
    sampleItems: results.find((r) => r.sampleItems !== undefined)?.sampleItems,
  };
}
