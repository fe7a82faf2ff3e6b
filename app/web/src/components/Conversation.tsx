/**
 * Questions and streamed answers in a virtualized list (react-virtuoso): only the rows near the viewport
 * are in the DOM, so 10,000 messages scroll as smoothly as ten. While an answer streams the list sticks
 * to the bottom, unless the reader scrolled up to read something earlier.
 */
import { createContext, memo, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { Virtuoso } from 'react-virtuoso';
import type { Answer, Message } from '../state.ts';
import type { ConnectionState } from '../protocol-client.ts';
import type { SupportContact, Vote } from '../server-frames.ts';
import { asSentence, manualPageUrl } from '../format.ts';
import { AnswerText } from './AnswerText.tsx';
import { SupportLinks } from './SupportLinks.tsx';

const STICK_THRESHOLD_PX = 48;

/** An answer that has not started this long after it was sent says so and offers to ask again. */
export const SLOW_ANSWER_MS = 15_000;

/** What the rows need besides their message: the connection and the actions on an answer. */
export interface AnswerActions {
  connection: ConnectionState;
  support: SupportContact | undefined;
  stop(askId: string): void;
  retry(askId: string): void;
  vote(askId: string, vote: Vote): void;
}
const Actions = createContext<AnswerActions | undefined>(undefined);

/** `product`: the picked product's title, so the empty state says what to do next. */
export function Conversation({
  messages,
  product,
  hasManual,
  actions,
}: {
  messages: Message[];
  product?: string | undefined;
  /** False when the picked product has no manual: the empty state must not promise page quotes. */
  hasManual: boolean;
  actions: AnswerActions;
}) {
  // Decided by where the reader scrolled (scroll events), not by content height: a streamed chunk
  // grows the list without scrolling, and must not count as "the reader left the bottom".
  const stick = useRef(true);
  const scroller = useRef<HTMLElement | null>(null);

  const scrollerRef = useCallback((element: HTMLElement | Window | null) => {
    if (!(element instanceof HTMLElement)) return;
    scroller.current = element;
    element.addEventListener(
      'scroll',
      () => {
        stick.current = element.scrollHeight - element.scrollTop - element.clientHeight <= STICK_THRESHOLD_PX;
      },
      { passive: true },
    );
  }, []);

  // New rows are followed by `followOutput`; a growing last row (streamed text, citations) is measured
  // later by Virtuoso, which then reports the new total height: that is when to follow it down.
  const onHeightChange = useCallback(() => {
    const element = scroller.current;
    if (stick.current && element) element.scrollTop = element.scrollHeight;
  }, []);

  if (messages.length === 0) {
    return (
      <div
        className="grid min-h-0 flex-1 place-items-center rounded-xl border border-dashed border-slate-400 p-6 text-center text-slate-700 dark:border-slate-500 dark:text-slate-300"
        data-testid="conversation-empty"
      >
        {product && !hasManual ? (
          <div>
            <p>There is no manual for the {product}, so questions about it cannot be answered here.</p>
            <SupportLinks support={actions.support} />
          </div>
        ) : (
          <p>
            {product
              ? `Ask anything about the ${product}. Answers quote the pages of its manual.`
              : 'Pick your product, then ask anything about it. Answers quote the pages of its manual.'}
          </p>
        )}
      </div>
    );
  }
  return (
    <section
      aria-label="Conversation"
      className="min-h-0 flex-1 rounded-xl border border-slate-300 bg-white dark:border-slate-600 dark:bg-slate-900"
    >
      <Actions.Provider value={actions}>
        <Virtuoso
          data={messages}
          className="h-full"
          tabIndex={0}
          role="region"
          aria-label="Conversation messages"
          data-testid="conversation"
          computeItemKey={(_index, message) => message.key}
          initialTopMostItemIndex={{ index: 'LAST', align: 'end' }}
          scrollerRef={scrollerRef}
          followOutput={() => (stick.current ? 'auto' : false)}
          totalListHeightChanged={onHeightChange}
          atBottomThreshold={STICK_THRESHOLD_PX}
          increaseViewportBy={{ top: 200, bottom: 200 }}
          itemContent={(_index, message) => <Row message={message} />}
        />
      </Actions.Provider>
    </section>
  );
}

const Row = memo(function Row({ message }: { message: Message }) {
  if (message.kind === 'question') {
    return (
      <div className="flex justify-end px-3 pt-3" data-testid="question">
        <p className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-sm bg-blue-700 px-3 py-2 text-white bubble">
          <span className="sr-only">You asked: </span>
          {message.text}
        </p>
      </div>
    );
  }
  return <AnswerRow answer={message} />;
});

/** True once `at` has passed (re-renders then); false while `at` is undefined or ahead. */
function usePassed(at: number | undefined): boolean {
  const [passed, setPassed] = useState(() => at !== undefined && Date.now() >= at);
  useEffect(() => {
    if (at === undefined) return setPassed(false);
    const wait = at - Date.now();
    if (wait <= 0) return setPassed(true);
    setPassed(false);
    const timer = setTimeout(() => setPassed(true), wait);
    return () => clearTimeout(timer);
  }, [at]);
  return passed;
}

const SMALL_BUTTON =
  'inline-flex min-h-7 min-w-7 items-center justify-center gap-1 rounded-md px-2 text-sm font-medium ring-1 ring-slate-400 hover:bg-slate-200 dark:ring-slate-500 dark:hover:bg-slate-700';

function AnswerRow({ answer }: { answer: Answer }) {
  const actions = useContext(Actions);
  const streaming = answer.status === 'streaming';
  const waiting = answer.status === 'waiting';
  const online = actions?.connection === 'open';
  const slow = usePassed(
    waiting && online && answer.askedAt !== undefined ? answer.askedAt + SLOW_ANSWER_MS : undefined,
  );
  return (
    <div className="px-3 pt-3" data-testid="answer" data-status={answer.status} data-ask-id={answer.askId}>
      <div
        aria-busy={streaming || waiting}
        className="max-w-[92%] rounded-2xl rounded-bl-sm bg-slate-100 px-3 py-2 text-slate-900 bubble dark:bg-slate-800 dark:text-slate-100"
      >
        {waiting && !online && (
          <p className="text-slate-700 italic dark:text-slate-300" data-testid="answer-queued">
            {actions?.connection === 'switching'
              ? 'Moving to another server: your question continues there in a moment.'
              : 'Queued: your question will be sent when the connection is back.'}
          </p>
        )}
        {waiting && online && !slow && (
          <p className="text-slate-700 italic dark:text-slate-300">Waiting for the answer…</p>
        )}
        {waiting && online && slow && (
          <p className="text-slate-800 dark:text-slate-200" data-testid="answer-slow">
            No answer has started after {SLOW_ANSWER_MS / 1000} s; something is holding it up.{' '}
            <button type="button" className={SMALL_BUTTON} onClick={() => actions?.retry(answer.askId)}>
              Ask again
            </button>
          </p>
        )}
        {answer.text && (
          <div className={`break-words ${streaming ? 'streaming-caret' : ''}`} data-testid="answer-text">
            <AnswerText text={answer.text} pageUrl={(page) => manualPageUrl(answer.productId, page)} />
          </div>
        )}
        {answer.status === 'stopped' && (
          <p className="mt-1 text-sm text-slate-700 italic dark:text-slate-300" data-testid="answer-stopped">
            Stopped.
          </p>
        )}
        {answer.status === 'failed' && (
          <div
            role="alert"
            className="mt-1 text-sm font-medium text-red-800 dark:text-red-300"
            data-testid="answer-error"
          >
            <p>{answer.error ? asSentence(answer.error.message) : 'The answer could not be produced.'}</p>
            {(answer.error?.code === 'not_found' || answer.error?.code === 'unavailable') && (
              <SupportLinks support={actions?.support} />
            )}
          </div>
        )}
        {(streaming || waiting) && (
          <p className="mt-2">
            <button
              type="button"
              className={SMALL_BUTTON}
              onClick={() => actions?.stop(answer.askId)}
              data-testid="answer-stop"
            >
              <span aria-hidden="true">■</span> Stop
            </button>
          </p>
        )}
        {answer.citations.length > 0 && (
          <p className="mt-2 flex flex-wrap items-center gap-1.5 text-sm text-slate-700 dark:text-slate-300">
            <span>Sources:</span>
            {answer.citations.map((citation, i) => (
              <a
                // biome-ignore lint/suspicious/noArrayIndexKey: a finished answer's citations never reorder, and one page may be cited twice
                key={`${citation.page}-${i}`}
                href={manualPageUrl(answer.productId, citation.page)}
                target="_blank"
                rel="noopener"
                title={citation.snippet}
                aria-label={`p. ${citation.page}: manual page ${citation.page}, ${citation.snippet}`}
                className="inline-flex min-h-6 min-w-6 items-center rounded-md bg-white px-2 py-0.5 font-medium text-blue-800 underline ring-1 ring-slate-300 dark:bg-slate-900 dark:text-blue-300 dark:ring-slate-600"
                data-testid="citation"
              >
                p. {citation.page}
              </a>
            ))}
          </p>
        )}
        {answer.status === 'done' && <AnswerTools answer={answer} />}
      </div>
    </div>
  );
}

/** A thumb drawn in SVG: emoji fonts are not everywhere (kiosks, minimal Linux), text is. */
function Thumb({ down = false }: { down?: boolean }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      className={`size-4 fill-none stroke-current stroke-2 ${down ? 'rotate-180' : ''}`}
    >
      <path d="M7 10v11H3V10zM7 10l4-8a3 3 0 0 1 3 3v4h6a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.6 21H7" />
    </svg>
  );
}

function AnswerTools({ answer }: { answer: Answer }) {
  const actions = useContext(Actions);
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard?.writeText(answer.text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  const vote = (value: 'up' | 'down') => actions?.vote(answer.askId, answer.vote === value ? null : value);
  return (
    <div className="mt-2 flex flex-wrap items-center gap-1.5" data-testid="answer-tools">
      <button type="button" className={SMALL_BUTTON} onClick={copy} data-testid="answer-copy">
        {copied ? 'Copied' : 'Copy'}
      </button>
      <button
        type="button"
        className={SMALL_BUTTON}
        aria-pressed={answer.vote === 'up'}
        aria-label="Helpful"
        onClick={() => vote('up')}
        data-testid="vote-up"
      >
        <Thumb />
      </button>
      <button
        type="button"
        className={SMALL_BUTTON}
        aria-pressed={answer.vote === 'down'}
        aria-label="Not helpful"
        onClick={() => vote('down')}
        data-testid="vote-down"
      >
        <Thumb down />
      </button>
      {answer.vote && (
        <span className="text-sm text-slate-700 dark:text-slate-300" role="status">
          Thanks for the feedback.
        </span>
      )}
    </div>
  );
}
