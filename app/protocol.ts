/**
 * WebSocket protocol, version 3: the contract between the browser and any gateway instance.
 * Client frames are validated here, at the edge; everything past `parseClientFrame` trusts the types.
 * New optional fields may be added; changing the meaning of one needs PROTOCOL_VERSION + 1.
 * Version 2 added the `heartbeat` frame (docs/protocol.md, "Heartbeat"); v1 clients keep working.
 * Version 3 added conversation threads (`ask.thread`, `history`), `cancel`, `feedback` and `hello.support`.
 * Version 4 added the `draining` frame (a gateway shutting down tells its sockets to move) and
 * `manual.retryInMs` (when a manual whose last attempt failed is tried again).
 * Version 5 (additive, shared with the answer work) adds, for abuse resistance, `history.omitted`
 * and `manual.deferred` (a `queued` manual held back until this customer's earlier ones are done).
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 4;

/** Longest `text` a `typing` frame may carry: product names are short, anything longer is abuse. */
export const MAX_TYPING_TEXT = 256;
/** Longest question an `ask` frame may carry. */
export const MAX_QUESTION_TEXT = 2_000;
/** A frame larger than this closes the socket with 1009 (message too big). */
export const MAX_FRAME_BYTES = 16 * 1024;

/**
 * The largest frame of each type the server sends (app/gateway/frame-bounds.ts shapes frames to fit):
 * what one socket can make the gateway buffer is a known multiple of these. `history` is cut further
 * by WS_HISTORY_MAX_BYTES.
 */
export const SERVER_FRAME_MAX_BYTES = {
  hello: 8 * 1024,
  history: 1024 * 1024,
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
  policyViolation: 1008,
  messageTooBig: 1009,
  tryAgainLater: 1013,
} as const;

/**
 * Characters no client string may carry: NUL (Postgres `text` cannot hold it), the other C0 and C1
 * control characters and DEL (invisible or destructive in logs and the UI), and lone UTF-16
 * surrogates (not Unicode text; JSON escapes can smuggle them in). Free text keeps tab and newlines.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
const LONE_SURROGATE = /\p{Cs}/u;

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

export const ClientFrame = z.discriminatedUnion('type', [
  TypingFrame,
  SelectFrame,
  AskFrame,
  ResumeFrame,
  HeartbeatFrame,
  CancelFrame,
  FeedbackFrame,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type TypingFrame = z.infer<typeof TypingFrame>;
export type SelectFrame = z.infer<typeof SelectFrame>;
export type AskFrame = z.infer<typeof AskFrame>;
export type ResumeFrame = z.infer<typeof ResumeFrame>;
export type HeartbeatFrame = z.infer<typeof HeartbeatFrame>;
export type CancelFrame = z.infer<typeof CancelFrame>;
export type FeedbackFrame = z.infer<typeof FeedbackFrame>;
export type Vote = FeedbackFrame['vote'];

export type ErrorCode = 'bad_request' | 'not_found' | 'rate_limited' | 'unavailable' | 'internal' | 'cancelled';

/** A manual's lifecycle, in order; the one list the service's events, the status gauge and the UI check against. */
export const MANUAL_STATUSES = ['none', 'queued', 'fetching', 'indexing', 'ready', 'failed'] as const;
export type ManualStatus = (typeof MANUAL_STATUSES)[number];

export interface PredictionItem {
  productId: string;
  brand: string;
  name: string;
  confidence: number;
}

export interface Citation {
  page: number;
  snippet: string;
}

/** Where a customer gets help when the manual cannot (configured SUPPORT_URL / SUPPORT_EMAIL). */
export interface SupportContact {
  url?: string;
  email?: string;
}

/** One finished (or failed) question of the session, as kept by the server. */
export interface HistoryTurn {
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

export type ServerFrame =
  | {
      type: 'hello';
      sessionId: string;
      protocol: number;
      support?: SupportContact;
      resumed?: boolean;
      productId?: string;
      manual?: ManualFrameBody;
    }
  /**
   * `omitted` (version 5): older turns left out to keep the frame within its size bound; they stay
   * stored on the server. The turns sent are the newest, oldest first.
   */
  | { type: 'history'; turns: HistoryTurn[]; omitted?: number }
  | { type: 'prediction'; seq: number; items: PredictionItem[] }
  | ({ type: 'manual' } & ManualFrameBody)
  | { type: 'answer_chunk'; id: string; text: string }
  | { type: 'answer_done'; id: string; citations: Citation[] }
  | { type: 'error'; code: ErrorCode; message: string; ref?: string }
  /**
   * Version 4: this gateway is shutting down. Reconnect (and resume) within `reconnectWithinMs`, at a
   * random moment in that window so a gateway's clients do not all arrive at once; answers streaming
   * on this socket may finish first. The socket is closed with 1001 when the drain ends.
   */
  | { type: 'draining'; reconnectWithinMs: number }
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
   * attempt starts; with `deferred` (version 5): until the server asks again for this customer's turn.
   * Absent on `failed`: the app has stopped trying (a `select` restarts it only after a cool-down).
   */
  retryInMs?: number;
  /**
   * Version 5, with `queued`: the manual is not started yet because this customer (session or address)
   * already has its share of manuals being prepared (`in_flight`) or has started its per-minute share
   * (`per_minute`). It starts by itself when a share frees; answers and predictions are not affected.
   */
  deferred?: 'in_flight' | 'per_minute';
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
