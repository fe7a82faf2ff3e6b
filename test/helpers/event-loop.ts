/**
 * How long this process's event loop was held while `work` ran: the longest gap between ticks of a
 * `tickMs` timer (5 ms by default). `workMs` is how long the work took.
 */
export async function longestStall(
  work: () => Promise<unknown>,
  tickMs = 5,
): Promise<{ stallMs: number; workMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, tickMs);
  const started = performance.now();
  try {
    await work();
    // A loop held to the end of the work never ran the tick that would have seen the gap.
    stallMs = Math.max(stallMs, performance.now() - last);
  } finally {
    clearInterval(timer);
  }
  return { stallMs, workMs: performance.now() - started };
}
