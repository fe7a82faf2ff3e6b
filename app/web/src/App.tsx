/** The page: wires the protocol client to the reducer and lays out search, product, conversation. */
import { useEffect, useReducer, useRef, type Dispatch } from 'react';
import { browserNetwork, ProtocolClient, sameOriginSocketUrl } from './protocol-client.ts';
import type { Prediction } from './server-frames.ts';
import { initialState, reduce, type Action } from './state.ts';
import { loadProduct, saveProduct, tabStorage } from './storage.ts';
import { productTitle } from './format.ts';
import { ConnectionBadge } from './components/ConnectionBadge.tsx';
import { ProductSearch } from './components/ProductSearch.tsx';
import { ProductCard } from './components/ProductCard.tsx';
import { Conversation } from './components/Conversation.tsx';
import { AskForm } from './components/AskForm.tsx';

const storage = tabStorage();
let askCounter = 0;
const newAskId = () =>
  `${Date.now().toString(36)}-${(++askCounter).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export function App({ onDispatch }: { onDispatch?: ((dispatch: Dispatch<Action>) => void) | undefined }) {
  const [state, dispatch] = useReducer(reduce, undefined, () =>
    initialState(storage?.getItem('hsc.sessionId') ? loadProduct(storage) : undefined),
  );
  const client = useRef<ProtocolClient | null>(null);
  const latest = useRef(state);
  latest.current = state;
  const focusQuestionAfterPick = useRef(false);

  useEffect(() => {
    const c = new ProtocolClient({
      url: sameOriginSocketUrl(window.location),
      storage,
      network: browserNetwork,
      onConnection: (info) => dispatch({ type: 'connection', info }),
      onFrame: (frame) => dispatch({ type: 'frame', frame }),
      onSession: ({ resumed }) => {
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

  const onType = (text: string) => {
    dispatch({ type: 'typed', text });
    client.current?.typing(text);
  };
  const onPick = (item: Prediction) => {
    const { productId, brand, name, imageUrl } = item;
    dispatch({ type: 'picked', product: { productId, brand, name, ...(imageUrl ? { imageUrl } : {}) } });
    client.current?.select(productId);
    focusQuestionAfterPick.current = true;
  };
  const onRetry = () => {
    if (!state.product) return;
    dispatch({ type: 'picked', product: state.product });
    client.current?.select(state.product.productId);
  };
  const onAsk = (question: string) => {
    if (!state.product) return;
    const id = newAskId();
    dispatch({ type: 'asked', askId: id, productId: state.product.productId, question });
    client.current?.ask({ id, productId: state.product.productId, question });
  };

  return (
    <div className="mx-auto flex h-dvh max-w-2xl flex-col">
      <header className="flex items-center justify-between gap-3 border-b border-slate-300 bg-white px-4 py-3">
        <h1 className="text-lg font-bold text-blue-900">
          Halilit <span className="font-semibold text-slate-800">Support</span>
        </h1>
        <ConnectionBadge info={state.connection} />
      </header>
      <main className="flex min-h-0 flex-1 flex-col gap-3 p-3">
        <ProductSearch
          query={state.query}
          predictions={state.predictions}
          listOpen={state.listOpen}
          activeIndex={state.activeIndex}
          notice={state.notice}
          dispatch={dispatch}
          onType={onType}
          onPick={onPick}
        />
        {state.product && (
          <ProductCard product={state.product} manual={state.manual} notice={state.notice} onRetry={onRetry} />
        )}
        <Conversation messages={state.messages} product={state.product && productTitle(state.product)} />
        <AskForm product={state.product} onAsk={onAsk} />
      </main>
      <p className="sr-only" aria-live="polite">
        {state.announcement}
      </p>
    </div>
  );
}
