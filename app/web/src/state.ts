/**
 * Everything the page shows, as one pure reducer: server frames and user actions in, state out.
 * No I/O here (the protocol client sends; the App wires the two), so every rule is unit-tested.
 */
import type { ConnectionInfo } from './protocol-client.ts';
import type { Citation, ErrorCode, ManualView, Prediction, ServerFrame } from './server-frames.ts';
import { productTitle } from './format.ts';

export interface Product {
  productId: string;
  brand: string;
  name: string;
  imageUrl?: string;
}

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
  /** waiting: sent (or queued while offline), nothing streamed yet. */
  status: 'waiting' | 'streaming' | 'done' | 'failed';
  citations: Citation[];
  error?: { code: ErrorCode | string; message: string };
}

export type Message = Question | Answer;

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
  listOpen: boolean;
  /** Index into `predictions` of the keyboard-highlighted option, -1 for none. */
  activeIndex: number;
  product: Product | undefined;
  /** The latest manual status the server sent (for the selected product, or the predicted one before a pick). */
  manual: ManualView | undefined;
  /** A `select` sent and not yet acknowledged by a manual frame: an unrefed error is about it. */
  selecting: string | undefined;
  notice: Notice | undefined;
  messages: Message[];
  /** Announced to screen readers (finished answers, errors), not every streamed chunk. */
  announcement: string;
}

export type Action =
  | { type: 'connection'; info: ConnectionInfo }
  | { type: 'frame'; frame: ServerFrame }
  | { type: 'typed'; text: string }
  | { type: 'list'; open: boolean }
  | { type: 'move'; to: 'next' | 'previous' | 'first' | 'last' }
  | { type: 'picked'; product: Product }
  | { type: 'asked'; askId: string; productId: string; question: string }
  | { type: 'dismiss-notice' };

export function initialState(restored?: Product): UiState {
  return {
    connection: { state: 'connecting', attempt: 0 },
    query: '',
    predictions: [],
    listOpen: false,
    activeIndex: -1,
    product: restored,
    manual: undefined,
    selecting: undefined,
    notice: undefined,
    messages: [],
    announcement: '',
  };
}

export function reduce(state: UiState, action: Action): UiState {
  switch (action.type) {
    case 'connection':
      return onConnection(state, action.info);
    case 'frame':
      return onFrame(state, action.frame);
    case 'typed':
      return {
        ...state,
        query: action.text,
        listOpen: action.text.trim() !== '',
        activeIndex: -1,
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
      return {
        ...state,
        product: action.product,
        query: productTitle(action.product),
        listOpen: false,
        activeIndex: -1,
        selecting: action.product.productId,
        notice: undefined,
        // Keep the status the server already sent for this product (just-in-time prefetch).
        manual: state.manual?.productId === action.product.productId ? state.manual : undefined,
      };
    case 'asked':
      return {
        ...state,
        messages: [
          ...state.messages,
          { kind: 'question', key: `q:${action.askId}`, askId: action.askId, text: action.question },
          {
            kind: 'answer',
            key: `a:${action.askId}`,
            askId: action.askId,
            productId: action.productId,
            text: '',
            status: 'waiting',
            citations: [],
          },
        ],
      };
    case 'dismiss-notice':
      return { ...state, notice: undefined };
  }
}

function onConnection(state: UiState, info: ConnectionInfo): UiState {
  const dropped = state.connection.state === 'open' && info.state !== 'open';
  // The server abandons answers on a dropped socket; the client asks again, so start them over.
  const messages = dropped
    ? state.messages.map((m) =>
        m.kind === 'answer' && m.status === 'streaming' ? { ...m, text: '', status: 'waiting' as const } : m,
      )
    : state.messages;
  return { ...state, connection: info, messages };
}

function onMove(state: UiState, to: 'next' | 'previous' | 'first' | 'last'): UiState {
  const count = state.predictions.length;
  if (count === 0) return state;
  const current = state.listOpen ? state.activeIndex : -1;
  const index =
    to === 'first'
      ? 0
      : to === 'last'
        ? count - 1
        : to === 'next'
          ? (current + 1) % count
          : current <= 0
            ? count - 1
            : current - 1;
  return { ...state, listOpen: true, activeIndex: index };
}

function onFrame(state: UiState, frame: ServerFrame): UiState {
  switch (frame.type) {
    case 'hello':
      return frame.resumed ? onResumed(state, frame.productId, frame.manual) : state;
    case 'prediction': {
      // The protocol client already dropped out-of-order predictions; an empty box shows none.
      const items = state.query.trim() === '' ? [] : frame.items;
      const active = state.predictions[state.activeIndex];
      const keep = active ? items.findIndex((i) => i.productId === active.productId) : -1;
      return { ...state, predictions: items, activeIndex: keep, listOpen: state.listOpen && items.length > 0 };
    }
    case 'manual': {
      const { type: _type, ...manual } = frame;
      return {
        ...state,
        manual,
        selecting: state.selecting === frame.productId ? undefined : state.selecting,
        notice:
          state.notice?.where === 'product' && frame.productId === state.product?.productId ? undefined : state.notice,
      };
    }
    case 'answer_chunk':
      return updateAnswer(state, frame.id, (a) => ({ ...a, text: a.text + frame.text, status: 'streaming' }));
    case 'answer_done': {
      const next = updateAnswer(state, frame.id, (a) => ({ ...a, status: 'done', citations: frame.citations }));
      return next === state ? state : { ...next, announcement: 'Answer ready.' };
    }
    case 'heartbeat':
      return state; // liveness only: the protocol client answers it
    case 'error': {
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

function onResumed(state: UiState, productId: string | undefined, manual: ManualView | undefined): UiState {
  if (!productId) return { ...state, product: undefined, manual: undefined };
  const product = state.product?.productId === productId ? state.product : { productId, brand: '', name: productId };
  return { ...state, product, manual: manual?.productId === productId ? manual : state.manual };
}

/** Answers are appended and streamed at the end: search from the end, usually one step. */
function updateAnswer(state: UiState, askId: string, change: (answer: Answer) => Answer): UiState {
  const index = state.messages.findLastIndex((m) => m.kind === 'answer' && m.askId === askId);
  const current = state.messages[index];
  if (current?.kind !== 'answer') return state;
  const messages = state.messages.slice();
  messages[index] = change(current);
  return { ...state, messages };
}
