/** Tallies by reason ({"closed 1013 server at capacity": 12}, {"rate_limited": 3}), summed across batches and workers. */
export function sumCounts(...tallies: Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const tally of tallies) for (const [key, n] of Object.entries(tally)) sum[key] = (sum[key] ?? 0) + n;
  return sum;
}
