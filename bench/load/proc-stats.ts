/**
 * Another process's resident memory and CPU time, read from /proc (Linux): the only honest view of a
 * server's footprint from outside it, since its heap statistics would not count sockets' kernel-side
 * and native buffers.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** VmRSS of `pid` in KB. */
export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no VmRSS line`);
  return Number(match[1]);
}

/** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK) is not reachable from node). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * RSS once the process has settled: we cannot run another process's GC, so wait `settleMs` (idle V8
 * collects on its own) and take the median of `samples` readings a second apart.
 */
export async function settledRssKb(
  pid: number,
  settleMs = 4_000,
  samples = 5,
): Promise<{ medianKb: number; minKb: number; maxKb: number }> {
  await sleep(settleMs);
  const readings: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(1_000);
    readings.push(rssKb(pid));
  }
  readings.sort((a, b) => a - b);
  return {
    medianKb: readings[Math.floor(readings.length / 2)]!,
    minKb: readings[0]!,
    maxKb: readings[readings.length - 1]!,
  };
}

/** The 1, 5 and 15 minute load averages, rounded: other engineers' work shares these 2 cores. */
export function loadAverage(): [number, number, number] {
  const [one, five, fifteen] = loadavg().map((v) => Number(v.toFixed(2)));
  return [one!, five!, fifteen!];
}
