/**
 * Everything the page shows, as one pure reducer: server frames and user actions in, state out.
 * No I/O here (the protocol client sends; the App wires the two), so every rule is unit-tested.
 */
import type { ConnectionInfo } from './protocol-client.ts';
import type {
  AnswerConfidence,
  AnswerPart,
  Citation,
  ErrorCode,
  FamilyRow,
  HistoryTurn,
  ManualView,
  NotFound,
  Prediction,
  ServerFrame,
  SupportContact,
  Vote,
} from './server-frames.ts';
import { productTitle } from './format.ts';
import { type Product, rowKey } from './rows.ts';

export type { Product };

export interface Question {
  kind: 'question';
  key: string;
  askId: string;
  text: string;
}

export interface Answer {
  kind: 'answer';
  key: string;
  askId: string;
  /** The product the question was about: citations link into its manual. */
  productId: string;
  text: string;
  /** waiting: sent (or queued while offline), nothing streamed yet; stopped: the customer stopped it. */
  status: 'waiting' | 'streaming' | 'done' | 'failed' | 'stopped';
  citations: Citation[];
  error?: { code: ErrorCode | string; message: string };
  /**
   * When the question last went to the server (ms since epoch), for "no answer has started after 15 s";
   * unset while it waits offline. The protocol client sends a question at once when connected, and
   * every unfinished one again on each (re)connection, so those are the moments.
   */
  sentAt?: number;
  vote?: Exclude<Vote, null>;
  /** v5, once done: how sure it is (`closest`, `not_in_manual`: the text says so and a person is offered). */
  confidence?: AnswerConfidence;
  /** v5: the earlier question a follow-up was read against. */
  context?: { id: string; question: string };
  /** v5: a question with several parts, answered part by part (the text holds them in this order). */
  parts?: AnswerPart[];
  /** v5, on an answer not sure of itself: where to reach a person about it. */
  support?: Contact;
}

export type Message = Question | Answer;

/** A support contact as any frame carries it (the zod-typed v5 fields may hold `undefined`). */
export type Contact = { [K in keyof SupportContact]?: SupportContact[K] | undefined };

/** One conversation: about one product, kept (with the others) for the session. */
export interface Thread {
  id: string;
  product: Product;
  messages: Message[];
}

/** An error the server sent that is not about a question: shown where it happened. */
export interface Notice {
  where: 'search' | 'product';
  code: string;
  message: string;
}

export interface UiState {
  connection: ConnectionInfo;
  query: string;
  predictions: Prediction[];
  /** The text the shown predictions were made for: when it is not the text in the box, they are stale. */
  predictionsFor: string;
  listOpen: boolean;
  /** Index into `predictions` of the keyboard-highlighted option, -1 for none. */
  activeIndex: number;
  /** v5, with `predictions`: the server's verdict that no row is good enough. */
  notFound: NotFound | undefined;
  /** A family row was chosen: which of its variants (the picker is open while this is set). */
  variants: VariantChoice | undefined;
  product: Product | undefined;
  /** The latest manual status the server sent (for the selected product, or the predicted one before a pick). */
  manual: ManualView | undefined;
  /** A `select` sent and not yet acknowledged by a manual frame: an unrefed error is about it. */
  selecting: string | undefined;
  notice: Notice | undefined;
  /** Every conversation of the session, oldest first; `threadId` is the one shown. */
  threads: Thread[];
  threadId: string | undefined;
  /** Where customers get help when no manual can (the server's SUPPORT_URL / SUPPORT_EMAIL). */
  support: SupportContact | undefined;
  /** Prefix of the thread ids this page makes, so they never meet a thread of an earlier page load. */
  idPrefix: string;
  /** Announced to screen readers (finished answers, errors), not every streamed chunk. */
  announcement: string;
  /**
   * The server no longer had the session this browser kept (a failed resume): said plainly above the
   * conversation until dismissed; `kept` when this page still shows messages (they can be copied).
   */
  sessionLost?: { message: string; kept: boolean } | undefined;
}

export interface VariantChoice {
  family: FamilyRow;
  /** Index into `family.variants` of the highlighted variant. */
  activeIndex: number;
}

type Move = 'next' | 'previous' | 'first' | 'last';

export type Action =
  /** `at`: when the connection changed (ms since epoch): a reconnect (re)sends the waiting questions. */
  | { type: 'connection'; info: ConnectionInfo; at?: number }
  /** `predictionText`: for a prediction frame, the text it was made for (the protocol client knows). */
  /** `at`: when it arrived (ms since epoch), so relative times in it (a manual's retry) can be placed. */
  | { type: 'frame'; frame: ServerFrame; predictionText?: string; at?: number }
  | { type: 'typed'; text: string }
  | { type: 'list'; open: boolean }
  | { type: 'move'; to: Move }
  | { type: 'picked'; product: Product }
  /** A family row was chosen: open the picker of its variants. */
  | { type: 'variants'; family: FamilyRow }
  | { type: 'variant-move'; to: Move }
  | { type: 'variants-closed' }
  | { type: 'asked'; askId: string; productId: string; question: string; at?: number }
  | { type: 'new-conversation' }
  | { type: 'open-thread'; threadId: string }
  | { type: 'voted'; askId: string; vote: Vote }
  /** The server no longer has the session this browser kept (it expired, or was erased on request). */
  | { type: 'session-lost'; reason: 'expired' | 'erased' }
  | { type: 'dismiss-notice' }
  | { type: 'dismiss-session-lost' };

export function initialState(restored?: Product, idPrefix = ''): UiState {
  return {
    connection: { state: 'connecting', attempt: 0 },
    query: '',
    predictions: [],
    predictionsFor: '',
    listOpen: false,
    activeIndex: -1,
    notFound: undefined,
    variants: undefined,
    product: restored,
    manual: undefined,
    selecting: undefined,
    notice: undefined,
    threads: [],
    threadId: undefined,
    support: undefined,
    idPrefix,
    announcement: '',
  };
}

/** The messages of the conversation on screen. */
export function activeMessages(state: UiState): Message[] {
  return activeThread(state)?.messages ?? NO_MESSAGES;
}
const NO_MESSAGES: Message[] = [];

export function activeThread(state: UiState): Thread | undefined {
  return state.threads.find((t) => t.id === state.threadId);
}

/** True when the predictions shown were made for the text in the box. */
export function predictionsCurrent(state: UiState): boolean {
  return state.predictionsFor.trim() === state.query.trim();
}

/** Thread ids are short (they travel in every `ask`) and unique within the session. */
function nextThreadId(threads: Thread[], prefix: string): string {
  let n = threads.length + 1;
  while (threads.some((t) => t.id === `${prefix}t${n}`)) n += 1;
  return `${prefix}t${n}`;
}

function withThread(state: UiState, product: Product): UiState {
  const thread: Thread = { id: nextThreadId(state.threads, state.idPrefix), product, messages: [] };
  return { ...state, threads: [...state.threads, thread], threadId: thread.id };
}

/** The product's latest conversation, or a new one. */
function threadFor(state: UiState, product: Product): UiState {
  const latest = state.threads.findLast((t) => t.product.productId === product.productId);
  if (!latest) return withThread(state, product);
  const threads = latest.product.brand
    ? state.threads
    : state.threads.map((t) => (t === latest ? { ...t, product } : t));
  return { ...state, threads, threadId: latest.id };
}

function select(state: UiState, product: Product): UiState {
  return {
    ...state,
    product,
    query: productTitle(product),
    listOpen: false,
    activeIndex: -1,
    variants: undefined,
    selecting: product.productId,
    notice: undefined,
    // Keep the status the server already sent for this product (just-in-time prefetch).
    manual: state.manual?.productId === product.productId ? state.manual : undefined,
  };
}

function updateThread(state: UiState, threadId: string, change: (thread: Thread) => Thread): UiState {
  return { ...state, threads: state.threads.map((t) => (t.id === threadId ? change(t) : t)) };
}

export function reduce(state: UiState, action: Action): UiState {
  switch (action.type) {
    case 'connection':
      return onConnection(state, action.info, action.at);
    case 'frame':
      return onFrame(state, action.frame, action.predictionText, action.at);
    case 'typed':
      return {
        ...state,
        query: action.text,
        listOpen: action.text.trim() !== '',
        activeIndex: -1,
        // The picker was for a family of the text before: a new text asks anew.
        variants: undefined,
        notice: state.notice?.where === 'search' ? undefined : state.notice,
      };
    case 'list':
      return {
        ...state,
        listOpen: action.open && state.predictions.length > 0,
        activeIndex: action.open ? state.activeIndex : -1,
      };
    case 'move':
      return onMove(state, action.to);
    case 'picked':
      return threadFor(select(state, action.product), action.product);
    case 'variants':
      return { ...state, listOpen: false, activeIndex: -1, variants: { family: action.family, activeIndex: 0 } };
    case 'variant-move': {
      if (!state.variants) return state;
      const activeIndex = step(state.variants.family.variants.length, state.variants.activeIndex, action.to);
      return { ...state, variants: { ...state.variants, activeIndex } };
    }
    case 'variants-closed':
      return { ...state, variants: undefined };
    case 'new-conversation': {
      const current = activeThread(state);
      if (!state.product || (current && current.messages.length === 0)) return state;
      return { ...withThread(state, state.product), announcement: 'New conversation started.' };
    }
    case 'open-thread': {
      const thread = state.threads.find((t) => t.id === action.threadId);
      if (!thread) return state;
      return { ...select(state, thread.product), threadId: thread.id };
    }
    case 'asked': {
      const current = activeThread(state);
      const base =
        current?.product.productId === action.productId
          ? state
          : threadFor(
              state,
              state.product?.productId === action.productId ? state.product : placeholder(action.productId),
            );
      const messages: Message[] = [
        { kind: 'question', key: `q:${action.askId}`, askId: action.askId, text: action.question },
        {
          kind: 'answer',
          key: `a:${action.askId}`,
          askId: action.askId,
          productId: action.productId,
          text: '',
          status: 'waiting',
          citations: [],
          ...(action.at !== undefined && state.connection.state === 'open' ? { sentAt: action.at } : {}),
        },
      ];
      return updateThread(base, base.threadId!, (t) => ({ ...t, messages: [...t.messages, ...messages] }));
    }
    case 'voted':
      return updateAnswer(state, action.askId, (a) => {
        const { vote: _old, ...rest } = a;
        return action.vote ? { ...rest, vote: action.vote } : rest;
      });
    case 'session-lost': {
      // A session that never picked a product or asked anything held nothing: nothing to say.
      const shown = state.threads.some((t) => t.messages.length > 0);
      if (!shown && !state.product) return state;
      // Said plainly; whatever this page still shows stays on screen (it is only no longer on the server).
      const kept = shown
        ? ' What you see here stays on this page (copy it to keep it); new questions start a new conversation.'
        : ' New questions start a new conversation.';
      const message =
        action.reason === 'erased'
          ? `Your earlier conversation was erased, as requested.${kept}`
          : `We couldn't bring back your earlier conversation: the server no longer has it.${kept}`;
      return { ...state, sessionLost: { message, kept: shown }, announcement: message };
    }
    case 'dismiss-notice':
      return { ...state, notice: undefined };
    case 'dismiss-session-lost':
      return { ...state, sessionLost: undefined };
  }
}

/** A socket that is still up: open, or open on a draining server whose answers may still finish. */
const connected = (info: ConnectionInfo) => info.state === 'open' || info.state === 'switching';

function onConnection(state: UiState, info: ConnectionInfo, at: number | undefined): UiState {
  const dropped = connected(state.connection) && !connected(info);
  const opened = state.connection.state !== 'open' && info.state === 'open';
  if (!dropped && !opened) return { ...state, connection: info };
  const unfinished = (m: Message) => m.kind === 'answer' && (m.status === 'streaming' || m.status === 'waiting');
  const change = (m: Message): Message => {
    if (m.kind !== 'answer' || !unfinished(m)) return m;
    const { sentAt: _sent, ...unsent } = m;
    // Dropped: the server abandons answers on a lost socket and the client asks again, so they start
    // over, unsent. Opened: the client has just sent every unfinished question.
    if (dropped) return { ...unsent, text: '', status: 'waiting' };
    return at !== undefined ? { ...m, sentAt: at } : m;
  };
  const threads = state.threads.map((t) =>
    t.messages.some(unfinished) ? { ...t, messages: t.messages.map(change) } : t,
  );
  return { ...state, connection: info, threads };
}

/** The index a move lands on among `count` options from `current` (-1: none), wrapping around. */
function step(count: number, current: number, to: Move): number {
  if (to === 'first') return 0;
  if (to === 'last') return count - 1;
  if (to === 'next') return (current + 1) % count;
  return current <= 0 ? count - 1 : current - 1;
}

function onMove(state: UiState, to: Move): UiState {
  const count = state.predictions.length;
  if (count === 0) return state;
  return { ...state, listOpen: true, activeIndex: step(count, state.listOpen ? state.activeIndex : -1, to) };
}

/** The manual as the card shows it: the retry's relative time becomes a moment on this browser's clock. */
function manualView(body: ManualView, at: number | undefined): ManualView {
  const { retryAt: _stale, ...rest } = body;
  return rest.retryInMs !== undefined && at !== undefined ? { ...rest, retryAt: at + rest.retryInMs } : rest;
}

function onFrame(state: UiState, frame: ServerFrame, predictionText?: string, at?: number): UiState {
  switch (frame.type) {
    case 'hello': {
      const greeted = { ...state, support: frame.support };
      return frame.resumed
        ? onResumed(greeted, frame.productId, frame.manual && manualView(frame.manual, at))
        : greeted;
    }
    case 'history':
      return onHistory(state, frame.turns);
    case 'prediction': {
      // The protocol client already dropped out-of-order predictions; an empty box shows none.
      const empty = state.query.trim() === '';
      const items = empty ? [] : frame.items;
      const active = state.predictions[state.activeIndex];
      const keep = active ? items.findIndex((i) => rowKey(i) === rowKey(active)) : -1;
      return {
        ...state,
        predictions: items,
        predictionsFor: predictionText ?? state.query,
        notFound: empty ? undefined : frame.notFound,
        activeIndex: keep,
        listOpen: state.listOpen && items.length > 0,
      };
    }
    case 'manual': {
      const { type: _type, ...body } = frame;
      return {
        ...state,
        manual: manualView(body, at),
        selecting: state.selecting === frame.productId ? undefined : state.selecting,
        notice:
          state.notice?.where === 'product' && frame.productId === state.product?.productId ? undefined : state.notice,
      };
    }
    case 'answer_chunk':
      return updateAnswer(state, frame.id, (a) => ({ ...a, text: a.text + frame.text, status: 'streaming' }));
    case 'answer_done': {
      let text = '';
      const next = updateAnswer(state, frame.id, (a) => {
        text = a.text;
        return { ...a, status: 'done', citations: frame.citations, ...answerMeta(frame) };
      });
      // Screen readers hear the answer itself, not only that there is one.
      return next === state ? state : { ...next, announcement: `Answer: ${text}` };
    }
    case 'turn':
      return onTurn(state, frame.phase, frame.turn);
    case 'heartbeat':
    case 'draining':
    case 'session':
      return state; // the protocol client handles these (the badge shows `switching`)
    case 'error': {
      if (frame.ref !== undefined && frame.code === 'cancelled') {
        const next = updateAnswer(state, frame.ref, (a) => ({ ...a, status: 'stopped' }));
        if (next !== state) return { ...next, announcement: 'Answer stopped.' };
      }
      if (frame.ref !== undefined) {
        const next = updateAnswer(state, frame.ref, (a) => ({
          ...a,
          status: 'failed',
          error: { code: frame.code, message: frame.message },
        }));
        if (next !== state) return { ...next, announcement: `Your question could not be answered: ${frame.message}` };
      }
      const where = state.selecting ? 'product' : 'search';
      return {
        ...state,
        selecting: undefined,
        notice: { where, code: frame.code, message: frame.message },
        announcement: frame.message,
      };
    }
  }
}

const placeholder = (productId: string): Product => ({ productId, brand: '', name: productId });

function onResumed(state: UiState, productId: string | undefined, manual: ManualView | undefined): UiState {
  if (!productId) return { ...state, product: undefined, manual: undefined };
  const product = state.product?.productId === productId ? state.product : placeholder(productId);
  const resumed = { ...state, product, manual: manual?.productId === productId ? manual : state.manual };
  const current = activeThread(resumed);
  return current?.product.productId === productId ? resumed : threadFor(resumed, product);
}

/**
 * The server's record of the session's turns (after a reload or a reconnect): turns the page does not
 * have are added to their threads, in order; threads the page does not know are created. Turns from
 * clients without threads are grouped by product.
 */
function onHistory(state: UiState, turns: HistoryTurn[]): UiState {
  const known = new Set(state.threads.flatMap((t) => t.messages.map((m) => m.askId)));
  let threads = state.threads;
  for (const turn of turns) {
    if (known.has(turn.id)) continue;
    known.add(turn.id);
    const threadId = turn.thread ?? `p:${turn.productId}`.slice(0, 100);
    const product: Product = turn.name
      ? { productId: turn.productId, brand: turn.brand ?? '', name: turn.name }
      : placeholder(turn.productId);
    if (!threads.some((t) => t.id === threadId)) threads = [...threads, { id: threadId, product, messages: [] }];
    const answer: Answer = {
      kind: 'answer',
      key: `a:${turn.id}`,
      askId: turn.id,
      productId: turn.productId,
      text: turn.answer,
      citations: turn.citations,
      status: turn.outcome === 'ok' ? 'done' : turn.outcome === 'cancelled' ? 'stopped' : 'failed',
      ...(turn.outcome === 'error' || turn.outcome === 'timeout'
        ? { error: { code: turn.outcome, message: 'this question could not be answered' } }
        : {}),
      ...(turn.vote ? { vote: turn.vote } : {}),
      ...answerMeta(turn),
    };
    const question: Question = { kind: 'question', key: `q:${turn.id}`, askId: turn.id, text: turn.question };
    threads = threads.map((t) => (t.id === threadId ? { ...t, messages: [...t.messages, question, answer] } : t));
  }
  if (threads === state.threads) return state;
  const next = { ...state, threads };
  // Back on the product's latest conversation, unless the page is already showing one of it.
  if (state.product && !activeThread(next)?.messages.length) {
    const latest = threads.findLast((t) => t.product.productId === state.product?.productId && t.messages.length > 0);
    if (latest) return { ...next, threads: threads.filter((t) => t.id !== state.threadId), threadId: latest.id };
  }
  return next;
}

/**
 * Another tab of the session asked (`asked`: the question, its answer still to come) or got its answer
 * (`done`): shown in the turn's thread as if asked here; a turn this page already has is only updated.
 */
function onTurn(state: UiState, phase: 'asked' | 'done', turn: HistoryTurn): UiState {
  const known = state.threads.some((t) => t.messages.some((m) => m.askId === turn.id));
  if (!known) {
    const added = onHistory(state, [turn]);
    return phase === 'asked' ? updateAnswer(added, turn.id, (a) => ({ ...a, status: 'waiting' })) : added;
  }
  if (phase === 'asked') return state;
  return updateAnswer(state, turn.id, (a) => ({
    ...a,
    text: turn.answer,
    citations: turn.citations,
    status: turn.outcome === 'ok' ? 'done' : turn.outcome === 'cancelled' ? 'stopped' : 'failed',
    ...answerMeta(turn),
  }));
}

/** The v5 fields of a finished answer the page shows (absent from a v4 server's frames). */
function answerMeta(from: {
  confidence?: Answer['confidence'] | undefined;
  context?: Answer['context'] | undefined;
  parts?: Answer['parts'] | undefined;
  support?: Answer['support'] | undefined;
}) {
  const { confidence, context, parts, support } = from;
  return {
    ...(confidence ? { confidence } : {}),
    ...(context ? { context } : {}),
    ...(parts && parts.length > 1 ? { parts } : {}),
    ...(support ? { support } : {}),
  };
}

/** Answers are appended and streamed at the end of a thread: search from the end, usually one step. */
function updateAnswer(state: UiState, askId: string, change: (answer: Answer) => Answer): UiState {
  for (let t = state.threads.length - 1; t >= 0; t--) {
    const thread = state.threads[t]!;
    const index = thread.messages.findLastIndex((m) => m.kind === 'answer' && m.askId === askId);
    const current = thread.messages[index];
    if (current?.kind !== 'answer') continue;
    const messages = thread.messages.slice();
    messages[index] = change(current);
    const threads = state.threads.slice();
    threads[t] = { ...thread, messages };
    return { ...state, threads };
  }
  return state;
}
