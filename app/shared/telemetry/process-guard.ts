/**
 * The last line of defence for a long-running process (gateway or worker). Input from outside is
 * handled where it arrives; whatever still escapes to the event loop lands here: it is logged,
 * counted (`process_unhandled_errors_total`) and reported to Sentry.
 *
 * A rejected promise leaves no half-done state behind, so the process keeps serving. A thrown
 * exception unwound some stack mid-way: the process keeps serving when that is an isolated event,
 * and exits (after flushing the report) when the state is really unknown — an internal assertion,
 * a stack overflow, or exceptions arriving in a burst, which means something throws in a loop.
 * The supervisor (Kubernetes, systemd) then starts a clean process.
 */
import type { Logger } from 'pino';
import type { Instruments } from './registry.js';
import { flushErrorReporting, reportError } from './errors.js';

export interface ProcessGuardOptions {
  log: Logger;
  metrics: Pick<Instruments, 'processUnhandledErrorsTotal'>;
  /** Uncaught exceptions within `burstWindowMs` past which the state is treated as unknown. */
  burstLimit?: number;
  burstWindowMs?: number;
  /** How the process ends when it must (tests observe it). */
  exit?: (code: number) => void;
}

const UNKNOWN_STATE_CODES = new Set(['ERR_INTERNAL_ASSERTION', 'ERR_ASSERTION']);

function leavesUnknownState(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && UNKNOWN_STATE_CODES.has(code)) return true;
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** Installs the handlers; returns a function that removes them. */
export function installProcessGuard(options: ProcessGuardOptions): () => void {
  const { log, metrics } = options;
  const burstLimit = options.burstLimit ?? 10;
  const burstWindowMs = options.burstWindowMs ?? 60_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let recent: number[] = [];
  let exiting = false;

  const onRejection = (reason: unknown) => {
    metrics.processUnhandledErrorsTotal.inc({ kind: 'unhandled_rejection', fatal: 'false' });
    log.error(
      { err: reason, ref: reportError(reason, { kind: 'unhandled_rejection' }) },
      'unhandled promise rejection',
    );
  };

  const onException = (error: unknown) => {
    const now = Date.now();
    recent = [...recent.filter((t) => now - t < burstWindowMs), now];
    const fatal = leavesUnknownState(error) || recent.length > burstLimit;
    metrics.processUnhandledErrorsTotal.inc({ kind: 'uncaught_exception', fatal: String(fatal) });
    const ref = reportError(error, { kind: 'uncaught_exception', fatal });
    if (!fatal) return log.error({ err: error, ref }, 'uncaught exception; the process keeps serving');
    log.fatal(
      { err: error, ref, recent: recent.length },
      'uncaught exception left the process in an unknown state; exiting',
    );
    if (exiting) return;
    exiting = true;
    void flushErrorReporting().finally(() => exit(1));
  };

  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
