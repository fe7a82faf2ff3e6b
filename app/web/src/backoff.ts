/**
 * Reconnect delays: exponential from `baseMs`, capped at `maxMs`, each spread by ±`jitter` so that
 * thousands of browsers dropped by the same gateway restart do not all come back in the same instant.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0..1: 0.5 means the delay lands anywhere in [50 %, 150 %] of the exponential step. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 10_000, jitter: 0.5 };

/** Delay before reconnect attempt number `attempt` (0 = the first retry). `random` returns [0, 1). */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const spread = 1 - policy.jitter + 2 * policy.jitter * random();
  return Math.round(step * spread);
}
