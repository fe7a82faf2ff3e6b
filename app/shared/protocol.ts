/**
 * WebSocket protocol, version 5: the contract between the browser and any gateway instance.
 * Client frames are validated here, at the edge; everything past `parseClientFrame` trusts the types.
 * New optional fields may be added; changing the meaning of one needs PROTOCOL_VERSION + 1.
 * Version 2 added the `heartbeat` frame (docs/protocol.md, "Heartbeat"); v1 clients keep working.
 * Version 3 added conversation threads (`ask.thread`, `history`), `cancel`, `feedback` and `hello.support`.
 * Version 4 added the `draining` frame (a gateway shutting down tells its sockets to move) and
 * `manual.retryInMs` (when a manual whose last attempt failed is tried again).
 * Version 5 (asked for with `/ws?protocol=5`, see `negotiateProtocol`) adds prediction rows of kind
 * brand/family/product and "not found", the reason a queued manual waits, history paging, the lazily
 * created per-browser session, answer structure and confidence, follow-up context, support contacts and
 * the `turn` frame a second tab of the session follows. `frameFor` strips all of it for a v4 socket.
 * Abuse resistance in the same version: a `queued` manual held back for this customer's share says
 * `queuedReason: fair_share`, and every server frame type has a size bound (SERVER_FRAME_MAX_BYTES).
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 5;
/** What a socket speaks when its client did not ask for more (every client written before v5). */
export const DEFAULT_PROTOCOL = 4;
export type ProtocolVersion = 4 | 5;

/**
 * The version a socket speaks, from its upgrade URL: `/ws?protocol=5` (or higher: the server answers
 * with the highest it knows) gets 5; no or an unreadable `protocol` parameter gets 4, so a client
 * written before v5 is served exactly as before. A query parameter rather than `Sec-WebSocket-Protocol`
 * because a browser fails the connection when it offers a subprotocol the server does not pick: a v5
 * client could not reach a v4 gateway (mid-rollout, or a rollback) at all.
 */
export function negotiateProtocol(url: string | undefined): ProtocolVersion {
  const query = (url ?? '').split('?')[1];
  const asked = query === undefined ? null : new URLSearchParams(query).get('protocol');
  if (asked === null || !/^\d{1,3}$/.test(asked)) return DEFAULT_PROTOCOL;
  return Number(asked) >= 5 ? 5 : DEFAULT_PROTOCOL;
}

/** Longest `text` a `typing` frame may carry: product names are short, anything longer is abuse. */
export const MAX_TYPING_TEXT = 256;
/** Longest question an `ask` frame may carry. */
export const MAX_QUESTION_TEXT = 2_000;
/** A frame larger than this closes the socket with 1009 (message too big). */
export const MAX_FRAME_BYTES = 16 * 1024;

/**
 * The largest frame of each type the server sends (app/edges/gateway/frame-bounds.ts shapes frames to fit):
 * what one socket can make the gateway buffer is a known multiple of these. A `history` page is cut
 * further by WS_HISTORY_MAX_BYTES (app/edges/gateway/history-page.ts), whose largest setting is this bound.
 */
export const SERVER_FRAME_MAX_BYTES = {
  hello: 8 * 1024,
  history: 1024 * 1024,
  session: 256,
  /** One history turn: its question, its answer (cut to fit) and what `answer_done` carried. */
  turn: 192 * 1024,
  prediction: 32 * 1024,
  manual: 4 * 1024,
  answer_chunk: 16 * 1024,
  answer_done: 64 * 1024,
  error: 4 * 1024,
  draining: 256,
  heartbeat: 256,
} as const satisfies Record<ServerFrame['type'], number>;

export const CloseCodes = {
  goingAway: 1001,
  /** Abuse (floods, a repeated `resume`), a client that stops reading (backlog over budget), an erased session. */
  policyViolation: 1008,
  messageTooBig: 1009,
  /** The server is overloaded (connection cap, a frame that could not be sent within budget); retry later. */
  tryAgainLater: 1013,
} as const;

/**
 * The default cap of one `history` frame (WS_HISTORY_MAX_BYTES): older turns beyond it are paged (v5,
 * `more`) or left out (v4, which gets the newest turns that fit, oldest first).
 */
export const MAX_HISTORY_FRAME_BYTES = 256 * 1024;

/**
 * Characters no client string may carry: NUL (Postgres `text` cannot hold it), the other C0 and C1
 * control characters and DEL (invisible or destructive in logs and the UI), and lone UTF-16
 * surrogates (not Unicode text; JSON escapes can smuggle them in). Free text keeps tab and newlines.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
const LONE_SURROGATE = /\p{Cs}/u;
/** All three at once, for a one-line string: one scan where hot paths check many strings (catalog import). */
const UNSAFE_IN_LINE = new RegExp(`${CONTROL.source}|${LINE_BREAK_OR_TAB.source}|${LONE_SURROGATE.source}`, 'u');

/** Whether `safeString` (one line) accepts these characters: what it rejects, in a single test. */
export function isSafeLine(s: string): boolean {
  return !UNSAFE_IN_LINE.test(s);
}

/** The one string schema for every client-supplied string (frames and admin routes). */
export function safeString(options: { min?: number; max: number; multiline?: boolean }) {
  return z
    .string()
    .min(options.min ?? 0)
    .max(options.max)
    .refine((s) => !CONTROL.test(s) && (options.multiline || !LINE_BREAK_OR_TAB.test(s)), {
      message: 'must not contain control characters',
      abort: true,
    })
    .refine((s) => !LONE_SURROGATE.test(s), { message: 'must be valid Unicode text (a lone surrogate)' });
}

/** Identifiers (session, answer, product ids): one line, no control characters. */
export const SafeId = (max: number) => safeString({ min: 1, max });

const productId = SafeId(200);

export const TypingFrame = z.strictObject({
  type: z.literal('typing'),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  text: safeString({ max: MAX_TYPING_TEXT, multiline: true }),
});

export const SelectFrame = z.strictObject({
  type: z.literal('select'),
  productId,
});

export const AskFrame = z.strictObject({
  type: z.literal('ask'),
  id: SafeId(100),
  productId,
  question: safeString({ max: MAX_QUESTION_TEXT, multiline: true }).trim().min(1),
  /** Version 3: the client's conversation thread this question belongs to (returned in `history`). */
  thread: SafeId(100).optional(),
});

/** Version 3: stop a streaming answer; the server stops generating and ends it with `error` `cancelled`. */
export const CancelFrame = z.strictObject({
  type: z.literal('cancel'),
  id: SafeId(100),
});

/** Version 3: the customer's verdict on a finished answer of this session; `null` withdraws it. */
export const FeedbackFrame = z.strictObject({
  type: z.literal('feedback'),
  id: SafeId(100),
  vote: z.enum(['up', 'down']).nullable(),
});

export const ResumeFrame = z.strictObject({
  type: z.literal('resume'),
  sessionId: SafeId(100),
});

/** "Are you there?" from either side; `reply: true` is the answer, sent at once and never answered. */
export const HeartbeatFrame = z.strictObject({
  type: z.literal('heartbeat'),
  reply: z.literal(true).optional(),
});

/**
 * Version 5: the page of turns older than `before` (a turn id of this session), newest `limit` of
 * them; the answer is a `history` frame with `page: true`.
 */
export const HistoryRequestFrame = z.strictObject({
  type: z.literal('history'),
  before: SafeId(100),
  limit: z.number().int().min(1).max(100).optional(),
});

export const ClientFrame = z.discriminatedUnion('type', [
  TypingFrame,
  SelectFrame,
  AskFrame,
  ResumeFrame,
  HeartbeatFrame,
  CancelFrame,
  FeedbackFrame,
  HistoryRequestFrame,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type TypingFrame = z.infer<typeof TypingFrame>;
export type SelectFrame = z.infer<typeof SelectFrame>;
export type AskFrame = z.infer<typeof AskFrame>;
export type ResumeFrame = z.infer<typeof ResumeFrame>;
export type HeartbeatFrame = z.infer<typeof HeartbeatFrame>;
export type CancelFrame = z.infer<typeof CancelFrame>;
export type FeedbackFrame = z.infer<typeof FeedbackFrame>;
export type HistoryRequestFrame = z.infer<typeof HistoryRequestFrame>;
export type Vote = FeedbackFrame['vote'];

export type ErrorCode = 'bad_request' | 'not_found' | 'rate_limited' | 'unavailable' | 'internal' | 'cancelled';

/** A manual's lifecycle, in order; the one list the service's events, the status gauge and the UI check against. */
export const MANUAL_STATUSES = ['none', 'queued', 'fetching', 'indexing', 'ready', 'failed'] as const;
export type ManualStatus = (typeof MANUAL_STATUSES)[number];

export interface Citation {
  page: number;
  snippet: string;
}

/**
 * Where a customer gets help when the manual cannot: SUPPORT_URL / SUPPORT_EMAIL, or (v5, on answers
 * and manual frames) the product's own support page from the catalog's optional `supportUrl`.
 */
export interface SupportContact {
  url?: string;
  email?: string;
}

// ---- Server-frame parts. Zod schemas, so tests (and the browser's zod-free checks in
// app/shared/server-frames.ts, held to them by its test) validate exactly what the gateway sends.

const ServerText = (max: number) => z.string().max(max);
const Confidence01 = z.number().min(0).max(1);
const Support = z.strictObject({ url: z.string().url().optional(), email: z.string().email().optional() });

/** A variant of a product family (colour, pack, bundle): what a v5 client `select`s after a family row. */
export const Variant = z.strictObject({
  productId: ServerText(200),
  /** What sets it apart ("Black", "2-pack"), shown after the family's name. */
  label: ServerText(200),
  hasManual: z.boolean(),
});

/** The most variants a family row carries (a catalog family can be larger; the finder keeps the first). */
export const MAX_VARIANTS = 50;

/** A v4 prediction item: a product a client may `select` (a v5 socket gets PredictionRow instead). */
export const PredictionItem = z.strictObject({
  productId: ServerText(200),
  brand: ServerText(200),
  name: ServerText(300),
  confidence: Confidence01,
});
export type PredictionItem = z.infer<typeof PredictionItem>;

/** v5 prediction rows. Only `product` rows (and a family's variants) carry an id a client may `select`. */
export const ProductRow = z.strictObject({
  kind: z.literal('product'),
  productId: ServerText(200),
  brand: ServerText(200),
  name: ServerText(300),
  confidence: Confidence01,
  hasManual: z.boolean(),
});
export const FamilyRow = z.strictObject({
  kind: z.literal('family'),
  familyId: ServerText(200),
  brand: ServerText(200),
  name: ServerText(300),
  confidence: Confidence01,
  /** Whether any variant has a manual. */
  hasManual: z.boolean(),
  /** Best first; a v4 socket gets the first one that has a manual (else the first) as a product row. */
  variants: z.array(Variant).min(1).max(MAX_VARIANTS),
});
/** A brand the catalog carries ("korg" typed, or a single letter): the client completes the box with it. */
export const BrandRow = z.strictObject({
  kind: z.literal('brand'),
  brand: ServerText(200),
  confidence: Confidence01,
  /** How many product families of the brand the catalog carries. */
  families: z.number().int().nonnegative(),
});
export const PredictionRow = z.discriminatedUnion('kind', [ProductRow, FamilyRow, BrandRow]);
export type PredictionRow = z.infer<typeof PredictionRow>;
export type ProductRow = z.infer<typeof ProductRow>;
export type FamilyRow = z.infer<typeof FamilyRow>;
export type BrandRow = z.infer<typeof BrandRow>;
export type Variant = z.infer<typeof Variant>;

/** v5: no row is good enough ("We couldn't find that model"); Enter must not pick. */
export const NotFound = z.strictObject({
  /** The typed brand, when it is one the catalog recognises but does not carry ("yamaha"). */
  uncarriedBrand: ServerText(200).optional(),
  /** The closest brands the catalog does carry, best first. */
  closestBrands: z.array(ServerText(200)).max(5),
});
export type NotFound = z.infer<typeof NotFound>;

/** v5: why a `queued` manual is not started yet (beside `retryInMs`, when it will be). */
export const QUEUED_REASONS = ['fair_share', 'cooldown', 'busy'] as const;
export type QueuedReason = (typeof QUEUED_REASONS)[number];

/** v5: how sure the answer is. A `confident` answer carries no preface; the others say so in the text. */
export const ANSWER_CONFIDENCES = ['confident', 'closest', 'not_in_manual'] as const;
export type AnswerConfidence = (typeof ANSWER_CONFIDENCES)[number];

export const CAUTION_KINDS = ['danger', 'warning', 'caution', 'important', 'note'] as const;

/**
 * v5: an answer's structure, so the client renders steps as a list and cautions as cautions. Every
 * string is plain text, sanitized on the server (no Markdown, no link or image syntax, no control
 * characters; app/core/answers/structure.ts); a client renders it as text, never as HTML or Markdown.
 */
export const AnswerStructure = z.strictObject({
  /** The sentence that introduces the procedure, or a prose answer's text. */
  intro: ServerText(4_000).optional(),
  /** In the manual's order; `marker` as the manual numbers it ("1.", "Step 2", "a)"), for reference. */
  steps: z
    .array(
      z.strictObject({ text: ServerText(2_000), page: z.number().int().positive(), marker: ServerText(20).optional() }),
    )
    .max(60),
  cautions: z
    .array(z.strictObject({ kind: z.enum(CAUTION_KINDS), text: ServerText(2_000), page: z.number().int().positive() }))
    .max(30),
});
export type AnswerStructure = z.infer<typeof AnswerStructure>;

const CitationSchema = z.strictObject({ page: z.number().int().positive(), snippet: ServerText(1_000) });

/** v5: a part of a multi-part question, answered (or not) on its own. */
export const AnswerPart = z.strictObject({
  question: ServerText(2_000),
  confidence: z.enum(ANSWER_CONFIDENCES),
  citations: z.array(CitationSchema).max(20),
  structure: AnswerStructure.optional(),
});
export type AnswerPart = z.infer<typeof AnswerPart>;

/** v5: the earlier turn a follow-up was read against ("and how long does that take?"). */
export const FollowUpContext = z.strictObject({ id: ServerText(100), question: ServerText(2_000) });

/** The v5 fields of `answer_done` (and of a v5 history turn). */
export const AnswerMeta = z.strictObject({
  confidence: z.enum(ANSWER_CONFIDENCES),
  structure: AnswerStructure.optional(),
  context: FollowUpContext.optional(),
  parts: z.array(AnswerPart).max(5).optional(),
  /** On `closest` and `not_in_manual` answers: where to reach a person. */
  support: Support.optional(),
});
export type AnswerMeta = z.infer<typeof AnswerMeta>;

export const AnswerDoneFrameV5 = z.strictObject({
  type: z.literal('answer_done'),
  id: ServerText(100),
  citations: z.array(CitationSchema).max(20),
  ...AnswerMeta.shape,
});

/** The most rows (v5) or items (v4) one prediction frame carries. */
export const MAX_PREDICTIONS = 20;
const Seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** The `prediction` frame a v4 socket gets (serializePrediction builds both versions'). */
export const PredictionFrameV4 = z.strictObject({
  type: z.literal('prediction'),
  seq: Seq,
  items: z.array(PredictionItem).max(MAX_PREDICTIONS),
});
export type PredictionFrameV4 = z.infer<typeof PredictionFrameV4>;

export const PredictionFrameV5 = z.strictObject({
  type: z.literal('prediction'),
  seq: Seq,
  items: z.array(PredictionRow).max(MAX_PREDICTIONS),
  notFound: NotFound.optional(),
});
export type PredictionFrameV5 = z.infer<typeof PredictionFrameV5>;

/** One finished (or failed) question of the session, as kept by the server. */
export interface HistoryTurn extends Partial<AnswerMeta> {
  id: string;
  thread?: string;
  productId: string;
  /** The product's maker and name from the catalog, so a reloaded page can label the thread. */
  brand?: string;
  name?: string;
  question: string;
  answer: string;
  citations: Citation[];
  outcome: 'ok' | 'error' | 'timeout' | 'cancelled';
  vote?: 'up' | 'down';
}

/** v5 `error.reason` for `not_found` after a `resume`: the session ran out, or its owner erased it. */
export type SessionGoneReason = 'expired' | 'erased';

export type ServerFrame =
  | {
      type: 'hello';
      /** v4: always (stored only once used). v5: only on a resumed hello; a fresh one has none yet. */
      sessionId?: string;
      protocol: number;
      support?: SupportContact;
      resumed?: boolean;
      productId?: string;
      manual?: ManualFrameBody;
    }
  /** v5: the browser's session id, sent once, when the first `select` or `ask` creates it. */
  | { type: 'session'; sessionId: string }
  /**
   * `turns` oldest first, at most WS_HISTORY_MAX_BYTES (default
   * MAX_HISTORY_FRAME_BYTES). v5: `more` when older turns exist (ask for
   * them with a client `history` frame), `page` on the answer to such a request.
   */
  | { type: 'history'; turns: HistoryTurn[]; more?: boolean; page?: boolean }
  /**
   * On a v5 socket the frame is PredictionFrameV5 instead (rows of kind product/family/brand). Both are
   * built by serializePrediction, not sent through frameFor: a keystroke's frame is made of JSON cached
   * for every socket that typed the same words.
   */
  | PredictionFrameV4
  | ({ type: 'manual' } & ManualFrameBody)
  | { type: 'answer_chunk'; id: string; text: string }
  | ({ type: 'answer_done'; id: string; citations: Citation[] } & Partial<AnswerMeta>)
  | { type: 'error'; code: ErrorCode; message: string; ref?: string; reason?: SessionGoneReason }
  /**
   * Version 4: this gateway is shutting down. Reconnect (and resume) within `reconnectWithinMs`, at a
   * random moment in that window so a gateway's clients do not all arrive at once; answers streaming
   * on this socket may finish first. The socket is closed with 1001 when the drain ends.
   */
  | { type: 'draining'; reconnectWithinMs: number }
  /**
   * v5: another socket of this session (a second tab) asked a question (`phase: 'asked'`, `turn.answer`
   * empty) or it finished (`'done'`, the whole turn): every other v5 socket of the session gets it.
   */
  | { type: 'turn'; phase: 'asked' | 'done'; turn: HistoryTurn }
  | HeartbeatFrame;

export interface ManualFrameBody {
  productId: string;
  status: ManualStatus;
  progress: number;
  pages?: number;
  error?: string;
  /** While fetching: bytes received so far, and the size when the server declared it. */
  bytes?: number;
  totalBytes?: number;
  /**
   * Version 4, while `queued` after a failed attempt (`error` says why): milliseconds until the next
   * attempt starts. Absent on `failed`: the app has stopped trying. v5: also while waiting out a
   * `cooldown` or a `fair_share` turn, when known: a `fair_share`
   * turn is asked for again by the server itself after `retryInMs`.
   */
  retryInMs?: number;
  /** v5, while `queued`: why it has not started (see QUEUED_REASONS). */
  queuedReason?: QueuedReason;
  /**
   * v5: where to reach a person about this product (SUPPORT_URL / SUPPORT_EMAIL, else the catalog's
   * `supportUrl`), on every status when there is one: offered on the no-manual card, when the manual
   * failed, and after a thumbs-down on any answer (`answer_done.support` is on unsure answers only).
   */
  support?: SupportContact;
}

/**
 * A v5 prediction row as the product item a v4 client may `select`, or nothing (brand rows): a family
 * becomes its first variant with a manual. Predictions are serialized once per text for every socket
 * (ports.ts `Prediction`), so the cached predictions build both lists with this rather than per socket.
 */
export function productItemOf(row: PredictionRow): PredictionItem | undefined {
  if (row.kind === 'brand') return undefined;
  if (row.kind === 'product')
    return { productId: row.productId, brand: row.brand, name: row.name, confidence: row.confidence };
  const variant = row.variants.find((v) => v.hasManual) ?? row.variants[0]!;
  return { productId: variant.productId, brand: row.brand, name: row.name, confidence: row.confidence };
}

/**
 * A prediction frame's parts as JSON, made once per text for every socket that typed the same words
 * (app/core/prediction/cached-predictions.ts keeps them): only the seq is a socket's own, so a keystroke's
 * frame is a string concatenation rather than a JSON.stringify of its rows.
 */
export interface PredictionJson {
  /** v4: the product items. */
  readonly items: string;
  /** v5: the rows (kind product/family/brand). */
  readonly rows: string;
  /** v5: the NotFound verdict, when no row is good enough. */
  readonly notFound?: string;
}

/** The JSON of one text's prediction, for serializePrediction: v4 items, and v5 rows and verdict. */
export function predictionJson(
  items: readonly PredictionItem[],
  rows: readonly PredictionRow[],
  notFound?: NotFound,
): PredictionJson {
  return {
    items: JSON.stringify(items),
    rows: JSON.stringify(rows),
    ...(notFound ? { notFound: JSON.stringify(notFound) } : {}),
  };
}

/**
 * The `prediction` frame for keystroke `seq`, as a socket speaking `version` receives it: exactly
 * JSON.stringify of a PredictionFrameV5 (v5) or PredictionFrameV4 (v4) with the same content, keys in
 * schema order (protocol.test.ts holds it to that).
 */
export function serializePrediction(version: ProtocolVersion, seq: number, json: PredictionJson): string {
  if (version === 4) return `{"type":"prediction","seq":${seq},"items":${json.items}}`;
  return json.notFound === undefined
    ? `{"type":"prediction","seq":${seq},"items":${json.rows}}`
    : `{"type":"prediction","seq":${seq},"items":${json.rows},"notFound":${json.notFound}}`;
}

const V5_TURN_FIELDS = ['confidence', 'structure', 'context', 'parts', 'support'] as const;
const V5_MANUAL_FIELDS = ['queuedReason', 'support'] as const;

function without<T extends object>(value: T, keys: readonly string[]): T {
  const out = { ...value } as Record<string, unknown>;
  for (const key of keys) delete out[key];
  return out as T;
}

/**
 * The frame as a socket speaking `version` may receive it, or undefined when that version has no such
 * frame. Every frame a gateway sends goes through here, so a v4 client never sees a v5 field or row.
 */
export function frameFor(version: ProtocolVersion, frame: ServerFrame): ServerFrame | undefined {
  if (version === 5) return frame;
  switch (frame.type) {
    case 'session':
    case 'turn':
      return undefined;
    case 'hello':
      return {
        ...frame,
        protocol: DEFAULT_PROTOCOL,
        ...(frame.manual ? { manual: without(frame.manual, V5_MANUAL_FIELDS) } : {}),
      };
    case 'manual':
      return without(frame, V5_MANUAL_FIELDS);
    case 'answer_done':
      return { type: 'answer_done', id: frame.id, citations: frame.citations };
    case 'history':
      return { type: 'history', turns: frame.turns.map((t) => without(t, V5_TURN_FIELDS)) };
    case 'error':
      return without(frame, ['reason']);
    default:
      return frame;
  }
}

const RefId = SafeId(100);

/**
 * A keystroke (nearly every frame) checked by hand against exactly what TypingFrame accepts, without
 * zod's per-call allocations; undefined sends it through the schema, which also words the error.
 * protocol.test.ts holds the two to the same verdict on valid and hostile frames.
 */
function validTyping(value: Record<string, unknown>): TypingFrame | undefined {
  if (value.type !== 'typing') return undefined;
  let keys = 0;
  for (const key in value) {
    if (key !== 'type' && key !== 'seq' && key !== 'text') return undefined;
    keys++;
  }
  const { seq, text } = value;
  if (keys !== 3 || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return undefined;
  if (typeof text !== 'string' || text.length > MAX_TYPING_TEXT || CONTROL.test(text) || LONE_SURROGATE.test(text))
    return undefined;
  return { type: 'typing', seq, text };
}

export type ParseResult = { ok: true; frame: ClientFrame } | { ok: false; message: string; ref?: string };

/** Parses one text frame. Never throws: a bad frame becomes a message a client developer can act on. */
export function parseClientFrame(raw: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'frame is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'frame must be a JSON object with a "type" field' };
  }
  const typing = validTyping(value as Record<string, unknown>);
  if (typing) return { ok: true, frame: typing };
  const rawId = (value as { id?: unknown }).id;
  const ref = RefId.safeParse(rawId).success ? (rawId as string) : undefined;
  const parsed = ClientFrame.safeParse(value);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, message: `${where}${issue?.message ?? 'invalid frame'}`, ...(ref ? { ref } : {}) };
}
