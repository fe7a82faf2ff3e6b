/**
 * Server frames checked without zod: what the browser receives is checked here (its bundle leaves zod
 * out, to stay small), and server-frames.test.ts holds every check to the zod schema protocol.ts has
 * for the same shape, on valid frames and on mutations of each of their fields, so the two cannot
 * drift apart. A frame of either protocol version passes (the browser may be served v4 or v5). Fields
 * a check does not know are ignored: the protocol lets a server add optional fields.
 *
 * Imports types only: nothing of protocol.ts (nor zod) reaches the bundle. Enumerations are repeated
 * as `satisfies Record<Union, true>` objects, so tsc fails when protocol.ts gains or loses a member.
 */
import type {
  AnswerConfidence,
  CAUTION_KINDS as PROTOCOL_CAUTION_KINDS,
  ManualStatus,
  QueuedReason,
  ServerFrame,
  SessionGoneReason,
} from './protocol.js';

/** A check of one value's shape: true when it has it. */
export type Check = (value: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str =
  (max = Number.POSITIVE_INFINITY): Check =>
  (v) =>
    typeof v === 'string' && v.length <= max;
const num =
  (min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): Check =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
/** A safe integer of at least `min` (zod's `.int()`). */
const int =
  (min: number): Check =>
  (v) =>
    Number.isSafeInteger(v) && (v as number) >= min;
const bool: Check = (v) => typeof v === 'boolean';
const literal =
  (value: string | boolean): Check =>
  (v) =>
    v === value;
const oneOf = (members: Record<string, true>): Check => {
  const known = new Set(Object.keys(members));
  return (v) => typeof v === 'string' && known.has(v);
};
const opt =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const arr =
  (item: Check, { min = 0, max = Number.POSITIVE_INFINITY } = {}): Check =>
  (v) =>
    Array.isArray(v) && v.length >= min && v.length <= max && v.every(item);
const obj =
  (shape: Record<string, Check>, refine?: (value: Record<string, unknown>) => boolean): Check =>
  (v) => {
    if (!isObject(v)) return false;
    for (const key in shape) if (!shape[key]!(v[key])) return false;
    return refine === undefined || refine(v);
  };
const optionalFields = (shape: Record<string, Check>): Record<string, Check> =>
  Object.fromEntries(Object.entries(shape).map(([key, check]) => [key, opt(check)]));

const CONFIDENCES = { confident: true, closest: true, not_in_manual: true } satisfies Record<AnswerConfidence, true>;
const MANUAL_STATUSES = {
  none: true,
  queued: true,
  fetching: true,
  indexing: true,
  ready: true,
  failed: true,
} satisfies Record<ManualStatus, true>;
const QUEUED_REASONS = { fair_share: true, cooldown: true, busy: true } satisfies Record<QueuedReason, true>;
const GONE_REASONS = { expired: true, erased: true } satisfies Record<SessionGoneReason, true>;
const CAUTION_KINDS = {
  danger: true,
  warning: true,
  caution: true,
  important: true,
  note: true,
} satisfies Record<(typeof PROTOCOL_CAUTION_KINDS)[number], true>;

/** zod's `.url()`: what the URL parser accepts, after trimming. */
const url: Check = (v) => typeof v === 'string' && URL.canParse(v.trim());
/** zod's `.email()` pattern. */
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const email: Check = (v) => typeof v === 'string' && EMAIL.test(v);
const confidence01 = num(0, 1);
const support = obj({ url: opt(url), email: opt(email) });
const citation = obj({ page: int(1), snippet: str(1_000) });
const variant = obj({ productId: str(200), label: str(200), hasManual: bool });
const structure = obj({
  intro: opt(str(4_000)),
  steps: arr(obj({ text: str(2_000), page: int(1), marker: opt(str(20)) }), { max: 60 }),
  cautions: arr(obj({ kind: oneOf(CAUTION_KINDS), text: str(2_000), page: int(1) }), { max: 30 }),
});
const answerPart = obj({
  question: str(2_000),
  confidence: oneOf(CONFIDENCES),
  citations: arr(citation, { max: 20 }),
  structure: opt(structure),
});
const answerMetaFields = {
  confidence: oneOf(CONFIDENCES),
  structure: opt(structure),
  context: opt(obj({ id: str(100), question: str(2_000) })),
  parts: opt(arr(answerPart, { max: 5 })),
  support: opt(support),
};
const predictionItem = obj({ productId: str(200), brand: str(200), name: str(300), confidence: confidence01 });
const rowKinds: Record<string, Check> = {
  product: obj({
    productId: str(200),
    brand: str(200),
    name: str(300),
    confidence: confidence01,
    hasManual: bool,
  }),
  family: obj({
    familyId: str(200),
    brand: str(200),
    name: str(300),
    confidence: confidence01,
    hasManual: bool,
    variants: arr(variant, { min: 1, max: 50 }),
  }),
  brand: obj({ brand: str(200), confidence: confidence01, families: int(0) }),
};
const predictionRow: Check = (v) =>
  isObject(v) && typeof v.kind === 'string' && Object.hasOwn(rowKinds, v.kind) && rowKinds[v.kind]!(v);
const notFound = obj({ uncarriedBrand: opt(str(200)), closestBrands: arr(str(200), { max: 5 }) });
const seq = int(0);
const answerDone = { id: str(100), citations: arr(citation, { max: 20 }) };
const manualFields = {
  productId: str(),
  status: oneOf(MANUAL_STATUSES),
  progress: num(),
  pages: opt(num()),
  error: opt(str()),
  bytes: opt(num()),
  totalBytes: opt(num()),
  retryInMs: opt(num()),
  queuedReason: opt(oneOf(QUEUED_REASONS)),
  support: opt(support),
};
const turn = obj({
  id: str(),
  thread: opt(str()),
  productId: str(),
  brand: opt(str()),
  name: opt(str()),
  question: str(),
  answer: str(),
  citations: arr(citation),
  outcome: oneOf({ ok: true, error: true, timeout: true, cancelled: true }),
  vote: opt(oneOf({ up: true, down: true })),
  ...optionalFields(answerMetaFields),
});

/**
 * The shapes protocol.ts also has as zod schemas, under the same names: server-frames.test.ts gives
 * each the same valid frames and mutations and expects the same verdicts.
 */
export const shapes = {
  PredictionItem: predictionItem,
  PredictionRow: predictionRow,
  Variant: variant,
  NotFound: notFound,
  AnswerStructure: structure,
  AnswerPart: answerPart,
  AnswerMeta: obj(answerMetaFields),
  PredictionFrameV4: obj({ type: literal('prediction'), seq, items: arr(predictionItem, { max: 20 }) }),
  PredictionFrameV5: obj({
    type: literal('prediction'),
    seq,
    items: arr(predictionRow, { max: 20 }),
    notFound: opt(notFound),
  }),
  AnswerDoneFrameV5: obj({ type: literal('answer_done'), ...answerDone, ...answerMetaFields }),
} satisfies Record<string, Check>;

/** Each server frame type's check, for a frame of either version. */
const frames: Record<ServerFrame['type'], Check> = {
  hello: obj(
    {
      protocol: int(1),
      sessionId: opt(str()),
      support: opt(support),
      resumed: opt(bool),
      productId: opt(str()),
      manual: opt(obj(manualFields)),
    },
    // v4 greets with the session id; v5 only on a resumed hello (otherwise the `session` frame brings it).
    (f) => typeof f.sessionId === 'string' || ((f.protocol as number) >= 5 && f.resumed !== true),
  ),
  session: obj({ sessionId: str() }),
  history: obj({ turns: arr(turn), more: opt(bool), page: opt(bool) }),
  turn: obj({ phase: oneOf({ asked: true, done: true }), turn }),
  prediction: (f) => shapes.PredictionFrameV5(f) || shapes.PredictionFrameV4(f),
  manual: obj(manualFields),
  answer_chunk: obj({ id: str(), text: str() }),
  answer_done: obj({ ...answerDone, ...optionalFields(answerMetaFields) }),
  // Any code: a client shows an error it has no words for as a generic one rather than missing it.
  error: obj({ code: str(), message: str(), ref: opt(str()), reason: opt(oneOf(GONE_REASONS)) }),
  draining: obj({ reconnectWithinMs: num(0) }),
  heartbeat: obj({ reply: opt(literal(true)) }),
};

/** True when `value` is a server frame of a known type with that type's shape (either version). */
export function isServerFrame(value: unknown): value is ServerFrame {
  return (
    isObject(value) &&
    typeof value.type === 'string' &&
    Object.hasOwn(frames, value.type) &&
    frames[value.type as ServerFrame['type']](value)
  );
}

/** The frame a text holds, or undefined when it is not JSON or not a server frame this module knows. */
export function parseServerFrame(raw: unknown): ServerFrame | undefined {
  if (typeof raw !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return isServerFrame(value) ? value : undefined;
}
