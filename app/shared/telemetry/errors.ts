/**
 * Error reporting through Sentry (@sentry/node), only when a DSN is configured (SENTRY_DSN). Without
 * one nothing is initialised and nothing leaves the process. Every event passes `scrubEvent` first:
 * authorization headers, cookies, password/token/key-like fields and credentials inside URLs never
 * reach Sentry, whatever the caller attached.
 *
 * The app calls `reportError(err, context)` for unhandled errors and for every 5xx it answers.
 */
import * as Sentry from '@sentry/node';
import type { ErrorEvent, NodeOptions } from '@sentry/node';

export interface ErrorReportingOptions {
  dsn: string | undefined;
  environment: string;
  release?: string;
  /** Tests pass an in-memory transport; production uses Sentry's HTTP transport. */
  transport?: NodeOptions['transport'];
}

/** What we know about where an error happened; values are scrubbed like the rest of the event. */
export interface ErrorContext {
  requestId?: string;
  /** The session's short hash (log.ts `sessionRef`), never its id: the id is a bearer token. */
  session?: string;
  route?: string;
  method?: string;
  status?: number;
  [key: string]: unknown;
}

export const FILTERED = '[Filtered]';

/**
 * Keys whose values are secrets, whatever the nesting (headers, extras, request data, breadcrumbs). A
 * session id is one (it resumes the conversation): reports carry its short hash as `session` instead.
 */
const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|api[-_]?key|^key$|[-_]key$|private|authorization|auth$|cookie|credential|dsn|signature|session[-_]?id/i;
/** scheme://user:password@host → scheme://[Filtered]@host */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]*@/gi;
/** ?token=…, &api_key=…, password=… in URLs, query strings and log-style messages. */
const SECRET_QUERY =
  /((?:^|[?&;\s,])(?:[a-z0-9_-]*(?:token|key|secret|password|signature|auth)[a-z0-9_-]*)=)[^&#\s"',]*/gi;
/** "Bearer abc…", "Basic abc…" inside messages. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

export function scrubString(value: string): string {
  return value
    .replace(URL_CREDENTIALS, `$1${FILTERED}@`)
    .replace(SECRET_QUERY, `$1${FILTERED}`)
    .replace(AUTH_SCHEME, `$1 ${FILTERED}`);
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && v !== undefined && v !== null && v !== '' ? FILTERED : scrubValue(v, depth + 1);
  }
  return out;
}

/** Returns a scrubbed copy of a Sentry event (the `beforeSend` hook). */
export function scrubEvent<E extends object>(event: E): E {
  const scrubbed = scrubValue(event, 0) as E & { request?: { cookies?: unknown; headers?: Record<string, unknown> } };
  // Cookies are dropped outright rather than masked: their names can be revealing too.
  if (scrubbed.request) delete scrubbed.request.cookies;
  return scrubbed;
}

let enabled = false;

/** Initialises Sentry when a DSN is given; returns whether reporting is on. Safe to call once per process. */
export function initErrorReporting(options: ErrorReportingOptions): boolean {
  if (!options.dsn) {
    enabled = false;
    return false;
  }
  Sentry.initWithoutDefaultIntegrations({
    dsn: options.dsn,
    environment: options.environment,
    release: options.release,
    // No user info or cookies collected in the first place; the scrubber is the second line.
    dataCollection: { userInfo: false, cookies: false },
    // No auto-instrumentation of every module (cost, surprises). Unhandled errors reach Sentry through
    // the process guard (./process-guard.ts), which also decides whether the process must exit: Sentry's
    // own handlers would report them twice.
    integrations: [Sentry.linkedErrorsIntegration()],
    tracesSampleRate: 0,
    beforeSend: (event: ErrorEvent) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubEvent(breadcrumb),
    ...(options.transport ? { transport: options.transport } : {}),
  });
  enabled = true;
  return true;
}

/**
 * Reports an error (unhandled, or behind a 5xx) with its context. Returns the Sentry event id, which
 * the app can hand to the client as `ref`; undefined when reporting is off.
 */
export function reportError(error: unknown, context: ErrorContext = {}): string | undefined {
  if (!enabled) return undefined;
  const { requestId, session, route, method, status, ...extra } = context;
  return Sentry.captureException(error, {
    tags: {
      ...(route ? { route } : {}),
      ...(method ? { method } : {}),
      ...(status !== undefined ? { status: String(status) } : {}),
    },
    extra: { ...extra, ...(requestId ? { requestId } : {}), ...(session ? { session } : {}) },
  });
}

/** Waits for queued events to be sent (call before exiting). */
export async function flushErrorReporting(timeoutMs = 2_000): Promise<boolean> {
  return enabled ? Sentry.flush(timeoutMs) : true;
}

export async function closeErrorReporting(timeoutMs = 2_000): Promise<void> {
  if (!enabled) return;
  enabled = false;
  await Sentry.close(timeoutMs);
}
