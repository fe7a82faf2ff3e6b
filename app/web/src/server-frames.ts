/**
 * Server frames as the browser receives them. The server is trusted, but a proxy, an older gateway or a
 * newer protocol revision may hand us something unexpected: frames are shape-checked here (without zod,
 * to keep the bundle small) and anything unrecognised is ignored rather than crashing the UI.
 */
import type {
  AnswerConfidence,
  ManualFrameBody,
  ManualStatus,
  PredictionItem,
  QueuedReason,
  ServerFrame,
} from '../../protocol.ts';

export type {
  AnswerConfidence,
  AnswerPart,
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
const optionalString = (v: unknown) => v === undefined || isString(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

// Protocol v5 enumerations, mirrored like MANUAL_STATUSES above.
const QUEUED_REASONS = new Set(
  Object.keys({ fair_share: true, cooldown: true, busy: true } satisfies Record<QueuedReason, true>),
);
const CONFIDENCES = new Set(
  Object.keys({ confident: true, closest: true, not_in_manual: true } satisfies Record<AnswerConfidence, true>),
);
const CAUTION_KINDS = new Set(['danger', 'warning', 'caution', 'important', 'note']);

const isSupport = (v: unknown) => v === undefined || (isObject(v) && optionalString(v.url) && optionalString(v.email));

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
    (v.queuedReason === undefined || (isString(v.queuedReason) && QUEUED_REASONS.has(v.queuedReason))) &&
    isSupport(v.support)
  );
}

const isCitation = (c: unknown) => isObject(c) && isNumber(c.page) && isString(c.snippet);

/** v5 answer structure: plain text only (the client renders it as text, never as Markdown or HTML). */
function isStructure(v: unknown): boolean {
  return (
    isObject(v) &&
    optionalString(v.intro) &&
    Array.isArray(v.steps) &&
    v.steps.every((s) => isObject(s) && isString(s.text) && isNumber(s.page) && optionalString(s.marker)) &&
    Array.isArray(v.cautions) &&
    v.cautions.every(
      (c) => isObject(c) && isString(c.kind) && CAUTION_KINDS.has(c.kind) && isString(c.text) && isNumber(c.page),
    )
  );
}

/** The v5 fields of `answer_done` and of a history turn; all optional on a v4 frame. */
function isAnswerMeta(v: Record<string, unknown>): boolean {
  return (
    (v.confidence === undefined || (isString(v.confidence) && CONFIDENCES.has(v.confidence))) &&
    (v.structure === undefined || isStructure(v.structure)) &&
    (v.context === undefined || (isObject(v.context) && isString(v.context.id) && isString(v.context.question))) &&
    (v.parts === undefined ||
      (Array.isArray(v.parts) &&
        v.parts.every(
          (p) =>
            isObject(p) &&
            isString(p.question) &&
            isString(p.confidence) &&
            CONFIDENCES.has(p.confidence) &&
            Array.isArray(p.citations) &&
            p.citations.every(isCitation) &&
            (p.structure === undefined || isStructure(p.structure)),
        ))) &&
    isSupport(v.support)
  );
}

function isTurn(v: unknown): boolean {
  return (
    isObject(v) &&
    isString(v.id) &&
    isString(v.productId) &&
    isString(v.question) &&
    isString(v.answer) &&
    isString(v.outcome) &&
    Array.isArray(v.citations) &&
    v.citations.every(isCitation) &&
    isAnswerMeta(v)
  );
}

/**
 * A product the customer may pick: a v4 item, or a v5 `product` row (`hasManual` too). v5 family and
 * brand rows are not products: see `asProducts`.
 */
function isPrediction(v: unknown): v is Prediction {
  return (
    isObject(v) &&
    (v.kind === undefined || (v.kind === 'product' && isBoolean(v.hasManual))) &&
    isString(v.productId) &&
    isString(v.brand) &&
    isString(v.name) &&
    isNumber(v.confidence)
  );
}

const checks: Record<ServerFrame['type'], (f: Record<string, unknown>) => boolean> = {
  hello: (f) =>
    isNumber(f.protocol) &&
    // v4 greets with the session id; v5 only on a resumed hello (otherwise the `session` frame brings it).
    (isString(f.sessionId) || (f.sessionId === undefined && f.protocol >= 5 && f.resumed !== true)) &&
    (f.manual === undefined || isManual(f.manual)) &&
    (f.support === undefined || isObject(f.support)),
  history: (f) =>
    Array.isArray(f.turns) &&
    f.turns.every(isTurn) &&
    (f.more === undefined || isBoolean(f.more)) &&
    (f.page === undefined || isBoolean(f.page)),
  session: (f) => isString(f.sessionId),
  turn: (f) => (f.phase === 'asked' || f.phase === 'done') && isTurn(f.turn),
  prediction: (f) =>
    isNumber(f.seq) && Array.isArray(f.items) && f.items.every((i) => isPrediction(i) || isOtherRow(i)),
  manual: (f) => isManual(f),
  answer_chunk: (f) => isString(f.id) && isString(f.text),
  answer_done: (f) => isString(f.id) && Array.isArray(f.citations) && f.citations.every(isCitation) && isAnswerMeta(f),
  error: (f) =>
    isString(f.code) &&
    isString(f.message) &&
    (f.reason === undefined || f.reason === 'expired' || f.reason === 'erased'),
  heartbeat: (f) => f.reply === undefined || f.reply === true,
  draining: (f) => isNumber(f.reconnectWithinMs),
};

/** v5 rows this page does not offer as such: a family (offered as one of its variants) or a brand. */
function isOtherRow(v: unknown): boolean {
  if (!isObject(v) || !isString(v.brand) || !isNumber(v.confidence)) return false;
  if (v.kind === 'brand') return true;
  return (
    v.kind === 'family' &&
    isString(v.name) &&
    Array.isArray(v.variants) &&
    v.variants.length > 0 &&
    v.variants.every((x) => isObject(x) && isString(x.productId) && isBoolean(x.hasManual))
  );
}

/**
 * The products a v5 prediction offers, as a v4 socket is served them (protocol.ts `productItemOf`,
 * mirrored here to keep zod out of the bundle): a family as its first variant with a manual (else
 * its first), brand rows left out.
 */
function asProducts(items: unknown[]): Prediction[] {
  return items.flatMap((item): Prediction[] => {
    if (isPrediction(item)) return [item];
    const row = item as { kind: string; brand: string; name: string; confidence: number; variants?: unknown };
    if (row.kind !== 'family') return [];
    const variants = row.variants as { productId: string; hasManual: boolean }[];
    const variant = variants.find((v) => v.hasManual) ?? variants[0]!;
    return [{ productId: variant.productId, brand: row.brand, name: row.name, confidence: row.confidence }];
  });
}

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
  if (!checks[value.type as ServerFrame['type']](value)) return undefined;
  if (value.type === 'prediction') return { ...value, items: asProducts(value.items as unknown[]) } as ServerFrame;
  return value as ServerFrame;
}
