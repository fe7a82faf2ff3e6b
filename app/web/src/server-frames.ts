/**
 * Server frames as the browser receives them. The server is trusted, but a proxy, an older gateway or a
 * newer protocol revision may hand us something unexpected: frames are shape-checked here (without zod,
 * to keep the bundle small) and anything unrecognised is ignored rather than crashing the UI.
 */
import type { ManualFrameBody, ManualStatus, PredictionItem, ServerFrame } from '../../protocol.ts';

export type {
  Citation,
  ClientFrame,
  ErrorCode,
  HistoryTurn,
  ManualStatus,
  ServerFrame,
  SupportContact,
  Vote,
} from '../../protocol.ts';

/** An optional field the UI shows when a server sends it (protocol v1 allows new optional fields). */
export type Prediction = PredictionItem & { imageUrl?: string };
/**
 * A manual's status as the card shows it (`bytes`/`totalBytes` while fetching, `pages` once read), and
 * `retryAt`: when the next attempt starts, on this browser's clock (from the frame's `retryInMs`).
 */
export type ManualView = ManualFrameBody & { retryAt?: number };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

// The UI imports protocol types only (no zod in the bundle), so the list is mirrored here; `satisfies`
// makes tsc fail when protocol.ts's MANUAL_STATUSES gains or loses a status this does not.
const MANUAL_STATUSES = new Set(
  Object.keys({ none: true, queued: true, fetching: true, indexing: true, ready: true, failed: true } satisfies Record<
    ManualStatus,
    true
  >),
);

const optionalNumber = (v: unknown) => v === undefined || isNumber(v);

function isManual(v: unknown): v is ManualView {
  return (
    isObject(v) &&
    isString(v.productId) &&
    isString(v.status) &&
    MANUAL_STATUSES.has(v.status) &&
    isNumber(v.progress) &&
    optionalNumber(v.pages) &&
    optionalNumber(v.bytes) &&
    optionalNumber(v.totalBytes) &&
    optionalNumber(v.retryInMs) &&
    (v.deferred === undefined || v.deferred === 'in_flight' || v.deferred === 'per_minute')
  );
}

const isCitation = (c: unknown) => isObject(c) && isNumber(c.page) && isString(c.snippet);

function isTurn(v: unknown): boolean {
  return (
    isObject(v) &&
    isString(v.id) &&
    isString(v.productId) &&
    isString(v.question) &&
    isString(v.answer) &&
    isString(v.outcome) &&
    Array.isArray(v.citations) &&
    v.citations.every(isCitation)
  );
}

function isPrediction(v: unknown): v is Prediction {
  return isObject(v) && isString(v.productId) && isString(v.brand) && isString(v.name) && isNumber(v.confidence);
}

const checks: Record<ServerFrame['type'], (f: Record<string, unknown>) => boolean> = {
  hello: (f) =>
    isString(f.sessionId) &&
    (f.manual === undefined || isManual(f.manual)) &&
    (f.support === undefined || isObject(f.support)),
  history: (f) => Array.isArray(f.turns) && f.turns.every(isTurn),
  prediction: (f) => isNumber(f.seq) && Array.isArray(f.items) && f.items.every(isPrediction),
  manual: (f) => isManual(f),
  answer_chunk: (f) => isString(f.id) && isString(f.text),
  answer_done: (f) => isString(f.id) && Array.isArray(f.citations) && f.citations.every(isCitation),
  error: (f) => isString(f.code) && isString(f.message),
  heartbeat: (f) => f.reply === undefined || f.reply === true,
  draining: (f) => isNumber(f.reconnectWithinMs),
};

/** The frame, or undefined when the text is not a frame this client understands. */
export function parseServerFrame(raw: unknown): ServerFrame | undefined {
  if (!isString(raw)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isString(value.type) || !Object.hasOwn(checks, value.type)) return undefined;
  return checks[value.type as ServerFrame['type']](value) ? (value as ServerFrame) : undefined;
}
