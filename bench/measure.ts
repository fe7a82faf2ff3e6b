/** Timing and recall helpers for the benchmarks: per-query latency, percentiles, heap, recall@k. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose_gc');
/** A real full GC even when node was started without --expose-gc, so heap deltas are comparable. */
export const collectGarbage = runInNewContext('gc') as () => void;

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const at = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, at)]!;
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** JS heap plus off-heap buffers (typed arrays live there), after a full GC. */
export function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** Runs fn once per input, timing each call with hrtime; returns results and latencies (ms). */
export function timeEach<I, O>(inputs: readonly I[], fn: (input: I) => O): { results: O[]; ms: number[] } {
  const results: O[] = [];
  const ms: number[] = [];
  for (const input of inputs) {
    const start = process.hrtime.bigint();
    results.push(fn(input));
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { results, ms };
}

export function latencySummary(ms: readonly number[]): { p50Ms: number; p99Ms: number; meanMs: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const mean = ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length);
  return { p50Ms: round(percentile(sorted, 50), 4), p99Ms: round(percentile(sorted, 99), 4), meanMs: round(mean, 4) };
}
