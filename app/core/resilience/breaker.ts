/**
 * Circuit breakers (opossum) around the dependencies that can hang or fail in bulk: the LLM and the
 * manual hosts. After enough failures in a window the circuit opens and calls fail at once for a
 * cool-down, instead of every request waiting on a dead upstream; one trial call then decides whether
 * it closes again. Errors that say nothing about the upstream's health (a 404, a cancelled request)
 * do not count.
 */
import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';

export interface BreakerOptions {
  name: string;
  /** Failure percentage over the rolling window that opens the circuit. */
  errorThresholdPercentage?: number;
  /** Calls in the window before the percentage means anything. */
  volumeThreshold?: number;
  rollingWindowMs?: number;
  /** How long the circuit stays open before one trial call. */
  resetTimeoutMs?: number;
  /** True for errors that must not count against the upstream. */
  ignore?: (error: unknown) => boolean;
  log?: Logger;
}

export class CircuitOpenError extends Error {
  constructor(readonly circuit: string) {
    super(`${circuit} is failing; calls are paused for a moment`);
    this.name = 'CircuitOpenError';
  }
}

export interface Breaker {
  run<T>(call: () => Promise<T>): Promise<T>;
  readonly opened: boolean;
  shutdown(): void;
}

export function createBreaker(options: BreakerOptions): Breaker {
  const breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
    name: options.name,
    timeout: false, // every call has its own deadlines (connect, first token, idle, total)
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    volumeThreshold: options.volumeThreshold ?? 5,
    rollingCountTimeout: options.rollingWindowMs ?? 30_000,
    resetTimeout: options.resetTimeoutMs ?? 15_000,
    ...(options.ignore ? { errorFilter: options.ignore } : {}),
  });
  breaker.on('open', () => options.log?.warn({ circuit: options.name }, 'circuit opened: failing fast'));
  breaker.on('halfOpen', () => options.log?.info({ circuit: options.name }, 'circuit half-open: trying one call'));
  breaker.on('close', () => options.log?.info({ circuit: options.name }, 'circuit closed: upstream healthy again'));
  return {
    async run<T>(call: () => Promise<T>): Promise<T> {
      try {
        return (await breaker.fire(call)) as T;
      } catch (error) {
        if ((error as { code?: string }).code === 'EOPENBREAKER') throw new CircuitOpenError(options.name);
        throw error;
      }
    },
    get opened() {
      return breaker.opened;
    },
    shutdown: () => breaker.shutdown(),
  };
}
