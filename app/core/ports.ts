/**
 * The core's ports: what the edges (the WebSocket gateway, the worker) need from prediction, the
 * catalog, manuals and answers, and the errors those share. The core owns them, so no core module
 * imports from gateway/; the adapters are chosen in app/composition/infrastructure.ts and the services built on
 * them in app/composition/services.ts. Ports import types of the shared units only (protocol, catalog products): a
 * core unit implementing a port imports ports.ts, never the other way round.
 */
import type { Product } from './catalog/product.js';
import type {
  AnswerMeta,
  Citation,
  HistoryTurn,
  ManualFrameBody,
  PredictionItem,
  PredictionJson,
  SessionGoneReason,
  Vote,
} from '../shared/protocol.js';

export type AnswerResult = { citations: Citation[] } & Partial<AnswerMeta>;

/** One text's predictions and their JSON, serialized once for every socket that typed the same words. */
export interface Prediction {
  /** The product items (v4 frames; the prefetch trigger reads them too). */
  items: readonly PredictionItem[];
  /** The frame's parts as JSON: protocol.ts `serializePrediction` makes a socket's frame of them. */
  json: PredictionJson;
}

/**
 * The keystroke's port: a text's predictions from the current catalog, cached beside the predictor
 * (app/core/prediction/cached-predictions.ts). Synchronous and never throws: it runs on every keystroke.
 */
export interface PredictionPort {
  prediction(text: string): Prediction;
}

/** A product of the current catalog by its id (app/core/catalog/live-catalog.ts `productDirectory`). */
export interface ProductLookup {
  product(id: string): Product | undefined;
}

/** Who asks for a manual: each session and each client address has its share (manuals/fairness.ts). */
export interface Requester {
  sessionId: string;
  /** The client address (undefined for callers without one: the share is then per session only). */
  address: string | undefined;
}

export interface ManualEnsureOptions {
  /** Also restart a manual that failed (the customer picked the product, or pressed Retry), once its cool-down has passed. */
  retry?: boolean;
  /** Counted against this requester's share; beyond it the manual is not started (`queued`, `queuedReason: fair_share`). */
  requester?: Requester;
  /** A question waits on it: its job runs before bulk requests. */
  urgent?: boolean;
}

export interface ManualPort {
  /**
   * Makes sure the product's manual is ready or on its way; returns its current state. Throws
   * `unavailable` when the queue of manuals is full.
   */
  ensure(product: Product, options?: ManualEnsureOptions): Promise<ManualFrameBody>;
  status(product: Product): Promise<ManualFrameBody>;
  /** Status changes for one product's manual, from whichever instance's worker made them. */
  watch(productId: string, listener: (body: ManualFrameBody) => void): Promise<() => Promise<void>>;
}

export interface AnswerSink {
  chunk(text: string): void;
  signal: AbortSignal;
}

export interface AnswerRequest {
  id: string;
  sessionId: string;
  product: Product;
  question: string;
  thread?: string | undefined;
  /** Who asks: a manual the question needs to start counts against this requester's share. */
  requester?: Requester | undefined;
}

export interface AnswerPort {
  /**
   * Streams chunks into the sink and resolves with the citations of the chunks actually used, and
   * (protocol v5) how sure the answer is, its structure and the earlier turn a follow-up was read with.
   */
  answer(request: AnswerRequest, sink: AnswerSink): Promise<AnswerResult>;
  /** The session's kept turns, oldest first (sent to a client that resumes). */
  history(sessionId: string): Promise<HistoryTurn[]>;
  /** Stores the customer's vote with the turn and counts it; false when the session has no such answer. */
  vote(sessionId: string, askId: string, vote: Vote): Promise<boolean>;
}

/** A named error whose message is safe to show to the customer. */
export class UserFacingError extends Error {
  constructor(
    readonly code: 'not_found' | 'unavailable' | 'bad_request' | 'rate_limited' | 'cancelled',
    message: string,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/**
 * The session is not (or no longer) stored: it ran out, or it was erased, and then nothing may be
 * written under its id again. The `not_found` a `resume` gets carries the reason (v5 `error.reason`).
 */
export class SessionGoneError extends UserFacingError {
  constructor(readonly reason: SessionGoneReason) {
    super(
      'not_found',
      reason === 'erased'
        ? 'this conversation was erased at your request; a new one starts here'
        : 'session expired or unknown; start a new one',
    );
    this.name = 'SessionGoneError';
  }
}

const DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53100',
  '53200',
  '53300',
  '57014',
]);
// 57014 and "Query read timeout": a statement or read that outlived its timeout (a slow or frozen database).
// 53100/53200 and Redis's "OOM command not allowed" (noeviction, memory full): the store is full, not broken.
// "Ready check failed", "Command aborted due to connection close" and "All sentinels are unreachable" are
// how ioredis fails the commands it holds while it re-establishes a connection (a failover, a restart).
// "… is not queryable" is node-postgres refusing the next statement on a connection that was lost while
// held (a failover or a terminated backend between two statements of a transaction).
const DOWN_MESSAGES =
  /timeout exceeded when trying to connect|Query read timeout|Connection terminated|is not queryable|Connection is closed|Stream isn't writeable|max retries per request|Ready check failed|Command aborted due to connection close|All sentinels are unreachable|read-only transaction|the database system is (starting up|shutting down)|OOM command not allowed/i;
/** Errors the adapters raise for a dependency that went away mid-command (app/adapters/redis/subscriber.ts). */
const DOWN_NAMES = new Set(['MaxRetriesPerRequestError', 'RedisReconnectError']);

/**
 * True when an error means a dependency (Postgres, Redis) is down or saturated rather than a bug:
 * the client gets `unavailable` and may retry, not `internal`.
 */
export function isDependencyDown(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  return (
    (typeof code === 'string' && (DOWN_CODES.has(code) || code.startsWith('08'))) ||
    (typeof name === 'string' && DOWN_NAMES.has(name)) ||
    (typeof message === 'string' && DOWN_MESSAGES.test(message))
  );
}
