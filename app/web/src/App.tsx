/** The page: wires the protocol client to the reducer and lays out search, product, conversation. */
import { useEffect, useReducer, useRef, useState, type Dispatch } from 'react';
import { browserNetwork, ProtocolClient, sameOriginSocketUrl } from './protocol-client.ts';
import type { Prediction, Vote } from './server-frames.ts';
import {
  activeMessages,
  activeThread,
  initialState,
  predictionsCurrent,
  reduce,
  type Action,
  type Product,
  type UiState,
} from './state.ts';
import { choiceOf, isWeak, rowKey } from './rows.ts';
import { conversationSummary } from './summary.ts';
import { browserStorage, loadProduct, saveProduct, tabStorage } from './storage.ts';
import { productTitle } from './format.ts';
import { manualLabel } from './manual-label.ts';
import { useNow } from './use-now.ts';
import { ConnectionBadge } from './components/ConnectionBadge.tsx';
import { ProductSearch } from './components/ProductSearch.tsx';
import { VARIANT_LIST_ID, VariantPicker } from './components/VariantPicker.tsx';
import { ProductCard } from './components/ProductCard.tsx';
import { Conversation, type AnswerActions } from './components/Conversation.tsx';
import { AskForm } from './components/AskForm.tsx';
import { Threads } from './components/Threads.tsx';
import { PredictionStatus } from './components/PredictionStatus.tsx';
import { SessionLost } from './components/SessionLost.tsx';

/** The session id is the browser's (every tab resumes it); the picked product is this tab's. */
const sharedStorage = browserStorage();
const storage = tabStorage();
/** How long Enter waits for the reply to the text in the box before picking from what is shown. */
const CHOICE_WAIT_MS = 300;
let askCounter = 0;
const randomId = () => Math.random().toString(36).slice(2, 8);
const newAskId = () => `${Date.now().toString(36)}-${(++askCounter).toString(36)}-${randomId()}`;

export function App({ onDispatch }: { onDispatch?: ((dispatch: Dispatch<Action>) => void) | undefined }) {
  const [state, dispatch] = useReducer(reduce, undefined, () =>
    initialState(sharedStorage?.getItem('hsc.sessionId') ? loadProduct(storage) : undefined, `${randomId()}-`),
  );
  const client = useRef<ProtocolClient | null>(null);
  const latest = useRef(state);
  latest.current = state;
  const focusQuestionAfterPick = useRef(false);
  const focusVariantsAfterChoice = useRef(false);
  // Phones: after a pick the search box and product card fold into one chip, so the chat gets the room.
  const [folded, setFolded] = useState(() => state.product !== undefined);

  useEffect(() => {
    const c = new ProtocolClient({
      url: sameOriginSocketUrl(window.location),
      storage: sharedStorage,
      network: browserNetwork,
      onConnection: (info) => dispatch({ type: 'connection', info, at: Date.now() }),
      onFrame: (frame, predictionText) =>
        dispatch({ type: 'frame', frame, at: Date.now(), ...(predictionText !== undefined ? { predictionText } : {}) }),
      onSession: ({ resumed, lost }) => {
        if (lost) dispatch({ type: 'session-lost', reason: lost });
        // The server lost (or never had) our session: tell it again which product we are looking at.
        const product = latest.current.product;
        if (!resumed && product) c.select(product.productId);
      },
    });
    client.current = c;
    c.start();
    return () => c.stop();
  }, []);

  useEffect(() => onDispatch?.(dispatch), [onDispatch]);
  useEffect(() => {
    saveProduct(storage, state.product);
    // After a pick the question box is enabled: keyboard users continue there.
    if (focusQuestionAfterPick.current) document.getElementById('question')?.focus();
    focusQuestionAfterPick.current = false;
  }, [state.product]);
  useEffect(() => {
    // A family was chosen (again, perhaps, with the picker already open): its variants are next. After
    // every render: the flag is set only when a choice opens the picker.
    if (focusVariantsAfterChoice.current) document.getElementById(VARIANT_LIST_ID)?.focus();
    focusVariantsAfterChoice.current = false;
  });

  // Enter (or a click) while the reply for the text in the box is on its way waits for it, briefly.
  const pendingChoice = useRef<{ key?: string; timer: ReturnType<typeof setTimeout> } | undefined>(undefined);
  const cancelChoice = () => {
    if (pendingChoice.current) clearTimeout(pendingChoice.current.timer);
    pendingChoice.current = undefined;
  };
  /** A brand completes the box, a family asks which variant, a product is picked. */
  const act = (row: Prediction) => {
    const choice = choiceOf(row);
    if (choice.kind === 'complete') onType(choice.text);
    else if (choice.kind === 'variants') {
      dispatch({ type: 'variants', family: choice.family });
      focusVariantsAfterChoice.current = true;
    } else onPick(choice.product);
  };
  /** Acts on the chosen row if the matches still hold it, else on the best match unless it is weak. */
  const choose = (current: UiState, key: string | undefined) => {
    const chosen = key ? current.predictions.find((p) => rowKey(p) === key) : undefined;
    const best = current.predictions[0];
    if (chosen) act(chosen);
    else if (best && !isWeak(best, current.notFound)) act(best);
  };
  const onChoose = (item: Prediction | undefined) => {
    cancelChoice();
    const current = latest.current;
    const online = current.connection.state === 'open' || current.connection.state === 'switching';
    const key = item && rowKey(item);
    if (predictionsCurrent(current) || !online) {
      choose(current, key);
      return;
    }
    const timer = setTimeout(() => {
      pendingChoice.current = undefined;
      choose(latest.current, key);
    }, CHOICE_WAIT_MS);
    pendingChoice.current = { ...(key ? { key } : {}), timer };
  };
  useEffect(() => {
    const pending = pendingChoice.current;
    if (!pending || !predictionsCurrent(state)) return;
    cancelChoice();
    choose(state, pending.key);
  });
  const onType = (text: string) => {
    cancelChoice();
    dispatch({ type: 'typed', text });
    client.current?.typing(text);
  };
  const onPick = (product: Product) => {
    dispatch({ type: 'picked', product });
    client.current?.select(product.productId);
    focusQuestionAfterPick.current = true;
    setFolded(true);
  };
  const onRetry = () => {
    if (!state.product) return;
    dispatch({ type: 'picked', product: state.product });
    client.current?.select(state.product.productId);
  };
  const ask = (question: string) => {
    const product = latest.current.product;
    if (!product) return;
    const id = newAskId();
    const asked: Action = { type: 'asked', askId: id, productId: product.productId, question, at: Date.now() };
    // The reducer is pure: running it here tells which thread the question joins (the server keeps it there).
    const thread = reduce(latest.current, asked).threads.find((t) => t.messages.some((m) => m.askId === id))?.id;
    dispatch(asked);
    client.current?.ask({ id, productId: product.productId, question, ...(thread ? { thread } : {}) });
  };
  const onOpenThread = (threadId: string) => {
    const thread = state.threads.find((t) => t.id === threadId);
    if (!thread) return;
    dispatch({ type: 'open-thread', threadId });
    if (thread.product.productId !== state.product?.productId) client.current?.select(thread.product.productId);
  };
  /** The conversation on screen as plain text: the hand-off to a person (never the session id). */
  const summary = () => {
    const thread = activeThread(latest.current);
    return thread ? conversationSummary(thread.product, thread.messages, window.location.origin) : '';
  };
  /** Every conversation this page shows, for a session the server no longer has. */
  const everything = () =>
    latest.current.threads
      .filter((t) => t.messages.length > 0)
      .map((t) => conversationSummary(t.product, t.messages, window.location.origin))
      .join('\n');
  // A product's contact: the manual frame's (v5: the server's, else the product's own), else the hello's.
  const supportFor = (productId = state.product?.productId) =>
    (state.manual?.productId === productId ? state.manual?.support : undefined) ?? state.support;
  const actions: AnswerActions = {
    connection: state.connection.state,
    supportFor,
    subject: state.product && `Question about the ${productTitle(state.product)}`,
    summary,
    stop: (askId) => client.current?.cancel(askId),
    retry: (askId) => {
      const question = activeMessages(latest.current).find((m) => m.kind === 'question' && m.askId === askId);
      client.current?.cancel(askId);
      if (question) ask(question.text);
    },
    vote: (askId: string, vote: Vote) => {
      dispatch({ type: 'voted', askId, vote });
      client.current?.feedback(askId, vote);
    },
  };

  const manual = state.manual?.productId === state.product?.productId ? state.manual : undefined;
  const noManual = manual?.status === 'none' && manual.error !== undefined;
  const now = useNow(manual?.retryAt !== undefined); // the chip's "retrying in N s" counts down
  const foldable = folded && state.product !== undefined && !noManual;
  useEffect(() => {
    // The question box just became disabled (no manual): focus would fall to the page body, and the
    // card explaining why (with the support contact) must be in view.
    if (!noManual) return;
    const active = document.activeElement;
    if (!active || active === document.body || active.id === 'question')
      document.getElementById('product-search')?.focus();
  }, [noManual]);

  return (
    <div className="mx-auto flex h-dvh max-w-2xl flex-col lg:max-w-6xl">
      <header className="flex items-center justify-between gap-3 border-b border-slate-300 bg-white px-4 py-3 max-sm:py-1.5 dark:border-slate-700 dark:bg-slate-900">
        <h1 className="text-lg font-bold text-blue-900 dark:text-blue-200">
          Halilit <span className="font-semibold text-slate-800 dark:text-slate-200">Support</span>
        </h1>
        <ConnectionBadge info={state.connection} />
      </header>
      {/* Wide screens: search and product on the left, the conversation keeps the full height on the right. */}
      <main className="flex min-h-0 flex-1 flex-col gap-3 p-3 max-sm:gap-2 max-sm:p-2 lg:flex-row lg:gap-4">
        {foldable && state.product && (
          <button
            type="button"
            className="flex min-h-10 w-full items-center justify-between gap-2 rounded-xl border border-slate-300 bg-white px-3 py-1.5 text-left sm:hidden dark:border-slate-600 dark:bg-slate-900"
            aria-expanded={false}
            aria-controls="product-panel"
            onClick={() => setFolded(false)}
            data-testid="product-chip"
          >
            <span className="min-w-0">
              <span className="block truncate font-semibold text-slate-900 dark:text-slate-100">
                {productTitle(state.product)}
              </span>
              <span className="block truncate text-xs text-slate-700 dark:text-slate-300">
                {manualLabel(manual, now).label}
              </span>
            </span>
            <span className="shrink-0 text-sm font-medium text-blue-800 underline dark:text-blue-300">Change</span>
          </button>
        )}
        <div
          id="product-panel"
          className={`flex flex-col gap-3 lg:w-96 lg:shrink-0 ${foldable ? 'max-sm:hidden' : ''}`}
        >
          <ProductSearch
            query={state.query}
            predictions={state.predictions}
            notFound={state.notFound}
            current={state.predictionsFor.trim() === state.query.trim()}
            online={state.connection.state === 'open' || state.connection.state === 'switching'}
            picked={state.product !== undefined && state.query === productTitle(state.product)}
            listOpen={state.listOpen}
            activeIndex={state.activeIndex}
            notice={state.notice}
            dispatch={dispatch}
            onType={onType}
            onChoose={onChoose}
          />
          {state.variants && <VariantPicker choice={state.variants} dispatch={dispatch} onPick={onPick} />}
          {state.product && (
            <ProductCard
              product={state.product}
              manual={state.manual}
              notice={state.notice}
              support={supportFor()}
              onRetry={onRetry}
              onFold={state.product ? () => setFolded(true) : undefined}
            />
          )}
        </div>
        <div className="flex min-h-0 flex-1 flex-col gap-3 max-sm:gap-2">
          {state.sessionLost && (
            <SessionLost
              message={state.sessionLost.message}
              conversation={state.sessionLost.kept ? everything : undefined}
              onDismiss={() => dispatch({ type: 'dismiss-session-lost' })}
            />
          )}
          <Threads
            threads={state.threads}
            activeId={state.threadId}
            onNew={() => dispatch({ type: 'new-conversation' })}
            onOpen={onOpenThread}
          />
          <Conversation
            messages={activeMessages(state)}
            product={state.product && productTitle(state.product)}
            hasManual={!noManual}
            actions={actions}
          />
          <AskForm
            product={state.product}
            disabledReason={
              !state.product
                ? 'Pick a product first'
                : noManual
                  ? 'There is no manual for this product to answer from'
                  : undefined
            }
            onAsk={ask}
          />
        </div>
      </main>
      <PredictionStatus state={state} />
      <p className="sr-only" aria-live="polite" data-testid="announcement">
        {state.announcement}
      </p>
    </div>
  );
}
