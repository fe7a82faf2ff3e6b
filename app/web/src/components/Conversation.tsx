/**
 * Questions and streamed answers. A short conversation is plain DOM (nothing to measure, so the first
 * question never shows a blank list while rows are sized); from VIRTUALIZE_FROM messages on it is a
 * virtualized list (react-virtuoso): only the rows near the viewport are in the DOM, so 10,000
 * messages scroll as smoothly as ten. While an answer streams the list sticks to the bottom, unless the
 * reader scrolled up to read something earlier; a question just asked always brings it back down.
 */
import { createContext, memo, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Virtuoso } from 'react-virtuoso';
import type { Answer, Contact, Message } from '../state.ts';
import type { ConnectionState } from '../protocol-client.ts';
import type { Citation, Vote } from '../server-frames.ts';
import { asSentence, manualPageUrl } from '../format.ts';
import { splitParts } from '../answer-parts.ts';
import { AnswerText } from './AnswerText.tsx';
import { SupportLinks } from './SupportLinks.tsx';

const STICK_THRESHOLD_PX = 48;

/** From this many messages on, the list is virtualized; below it every row is simply rendered. */
export const VIRTUALIZE_FROM = 100;

/** An answer that has not started this long after it was sent says so and offers to ask again. */
export const SLOW_ANSWER_MS = 15_000;

/** What the rows need besides their message: the connection and the actions on an answer. */
export interface AnswerActions {
  connection: ConnectionState;
  /** Where to reach a person about a product (the server's contact, or the product's own); no id: the picked one. */
  supportFor(productId?: string): Contact | undefined;
  /** The e-mail subject for a hand-off about the conversation on screen. */
  subject: string | undefined;
  /** The conversation on screen as plain text, for the hand-off to a person (no session id). */
  summary(): string;
  stop(askId: string): void;
  retry(askId: string): void;
  vote(askId: string, vote: Vote): void;
}
const Actions = createContext<AnswerActions | undefined>(undefined);

/** The scroller's shared attributes: one focusable, named region whichever list renders it. */
const SCROLLER = {
  tabIndex: 0,
  role: 'region',
  'aria-label': 'Conversation messages',
  'data-testid': 'conversation',
} as const;

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
  // grows the list without scrolling, and must not count as "the reader left the bottom". Only a
  // scroll up leaves it: a scroll event that lands after the next chunk has grown the list (but before
  // the list followed it down) is not the reader leaving.
  const stick = useRef(true);
  const scroller = useRef<HTMLElement | null>(null);
  const lastTop = useRef(0);
  const onScroll = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    if (element.scrollHeight - element.scrollTop - element.clientHeight <= STICK_THRESHOLD_PX) stick.current = true;
    else if (element.scrollTop < lastTop.current) stick.current = false;
    lastTop.current = element.scrollTop;
  }, []);

  // A question just asked is what the reader looks at next, wherever they had scrolled: set during
  // render, so the list's own follow logic (run before this component's effects) already sees it.
  const lastQuestion = messages.findLast((m) => m.kind === 'question')?.key;
  const seenQuestion = useRef(lastQuestion);
  if (lastQuestion !== seenQuestion.current) {
    seenQuestion.current = lastQuestion;
    stick.current = true;
  }

  const followIfStuck = useCallback(() => {
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
            <SupportLinks support={actions.supportFor()} />
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
        {messages.length < VIRTUALIZE_FROM ? (
          <PlainList messages={messages} scroller={scroller} onScroll={onScroll} follow={followIfStuck} />
        ) : (
          <Virtuoso
            data={messages}
            className="h-full"
            {...SCROLLER}
            computeItemKey={(_index, message) => message.key}
            initialTopMostItemIndex={{ index: 'LAST', align: 'end' }}
            scrollerRef={(element) => {
              if (!(element instanceof HTMLElement) || element === scroller.current) return;
              scroller.current = element;
              element.addEventListener('scroll', onScroll, { passive: true });
            }}
            followOutput={() => (stick.current ? 'auto' : false)}
            // A growing last row (streamed text, citations) is measured later by Virtuoso, which then
            // reports the new total height: that is when to follow it down.
            totalListHeightChanged={followIfStuck}
            atBottomThreshold={STICK_THRESHOLD_PX}
            increaseViewportBy={{ top: 200, bottom: 200 }}
            itemContent={(_index, message) => <Row message={message} />}
          />
        )}
      </Actions.Provider>
    </section>
  );
}

/** Every row in the DOM; follows its own growth (new rows, streamed text) down while stuck. */
function PlainList({
  messages,
  scroller,
  onScroll,
  follow,
}: {
  messages: Message[];
  scroller: { current: HTMLElement | null };
  onScroll(): void;
  follow(): void;
}) {
  const content = useRef<HTMLDivElement | null>(null);
  // Opens at the bottom, like the virtualized list's initial index, before the first paint; then every
  // growth of the rows (a row added, streamed text, citations) and every shrink of the box (the page
  // around it changed) is seen by the observer before it is painted.
  useLayoutEffect(() => {
    follow();
    const observer = new ResizeObserver(follow);
    for (const element of [content.current, scroller.current]) if (element) observer.observe(element);
    return () => observer.disconnect();
  }, [follow, scroller]);
  return (
    <div
      ref={(element) => {
        scroller.current = element;
      }}
      className="h-full overflow-y-auto"
      onScroll={onScroll}
      {...SCROLLER}
    >
      <div ref={content} className="pb-1">
        {messages.map((message) => (
          <Row key={message.key} message={message} />
        ))}
      </div>
    </div>
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

/** Phones get 44 px targets (a fingertip; WCAG 2.5.5), pointers the compact size. */
const TAP_TARGET = 'max-sm:min-h-11 max-sm:min-w-11';
const SMALL_BUTTON = `inline-flex min-h-7 min-w-7 items-center justify-center gap-1 rounded-md px-2 text-sm font-medium ring-1 ring-slate-400 hover:bg-slate-200 dark:ring-slate-500 dark:hover:bg-slate-700 ${TAP_TARGET}`;
/** A vote given: filled, in the accent colour, unmistakable next to the other thumb (not only a tint). */
const VOTE_BUTTON = `${SMALL_BUTTON} aria-pressed:bg-blue-700 aria-pressed:text-white aria-pressed:ring-2 aria-pressed:ring-blue-900 aria-pressed:hover:bg-blue-800 dark:aria-pressed:bg-blue-300 dark:aria-pressed:text-slate-900 dark:aria-pressed:ring-blue-100`;

function AnswerRow({ answer }: { answer: Answer }) {
  const actions = useContext(Actions);
  const streaming = answer.status === 'streaming';
  const waiting = answer.status === 'waiting';
  const online = actions?.connection === 'open';
  // Counted from when the question reached the server, not from when it was typed: time spent queued
  // offline is not the server's delay.
  const slow = usePassed(waiting && online && answer.sentAt !== undefined ? answer.sentAt + SLOW_ANSWER_MS : undefined);
  const done = answer.status === 'done';
  const unsure = answer.confidence === 'closest' || answer.confidence === 'not_in_manual';
  // Each part on its own once the answer is done and the text holds them as the server marked them.
  const parts =
    done && answer.parts
      ? splitParts(
          answer.text,
          answer.parts.map((p) => p.question),
        )
      : undefined;
  const pageUrl = (page: number) => manualPageUrl(answer.productId, page);
  return (
    <div
      className="px-3 pt-3"
      data-testid="answer"
      data-status={answer.status}
      data-ask-id={answer.askId}
      data-confidence={answer.confidence}
    >
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
        {answer.context && (
          <p
            className="mb-1.5 border-l-4 border-slate-400 pl-2 text-sm text-slate-700 italic dark:border-slate-500 dark:text-slate-300"
            data-testid="answer-context"
          >
            Taking your earlier question “{answer.context.question}” as context.
          </p>
        )}
        {answer.text && parts && answer.parts && (
          <div className="break-words" data-testid="answer-text">
            {answer.parts.map((part, i) => (
              <section
                // biome-ignore lint/suspicious/noArrayIndexKey: a finished answer's parts never reorder
                key={i}
                className="mt-2 first:mt-0"
                data-testid="answer-part"
                data-confidence={part.confidence}
                aria-label={`Part ${i + 1} of ${parts.length}: ${part.question}`}
              >
                <h3 className="font-semibold">
                  <span className="sr-only">Part {i + 1}: </span>
                  {part.question}
                </h3>
                {part.confidence !== 'confident' && (
                  <p className="text-sm font-medium text-amber-900 dark:text-amber-200" data-testid="part-unsure">
                    {part.confidence === 'not_in_manual' ? 'Not in the manual' : 'The closest the manual has'}
                  </p>
                )}
                <AnswerText text={parts[i]!} pageUrl={pageUrl} />
                <Citations productId={answer.productId} citations={part.citations} />
              </section>
            ))}
          </div>
        )}
        {answer.text && !parts && (
          <div className={`break-words ${streaming ? 'streaming-caret' : ''}`} data-testid="answer-text">
            <AnswerText text={answer.text} pageUrl={pageUrl} />
          </div>
        )}
        {answer.status === 'stopped' && (
          <p className="mt-1 text-sm text-slate-700 italic dark:text-slate-300" data-testid="answer-stopped">
            {answer.text ? 'Stopped.' : 'Cancelled.'}
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
              <SupportLinks support={actions?.supportFor(answer.productId)} subject={actions?.subject} />
            )}
          </div>
        )}
        {/* Nothing started yet (queued, or sent and waiting): the question is cancelled; a started answer is stopped. */}
        {(streaming || waiting) && (
          <p className="mt-2">
            <button
              type="button"
              className={SMALL_BUTTON}
              onClick={() => actions?.stop(answer.askId)}
              data-testid="answer-stop"
            >
              {waiting ? (
                'Cancel'
              ) : (
                <>
                  <span aria-hidden="true">■</span> Stop
                </>
              )}
            </button>
          </p>
        )}
        {!parts && <Citations productId={answer.productId} citations={answer.citations} />}
        {done && <AnswerTools answer={answer} />}
        {/* A person when the manual did not do: on an answer not sure of itself, and after a thumbs-down. */}
        {done && (unsure || answer.vote === 'down') && (
          <SupportLinks
            support={answer.support ?? actions?.supportFor(answer.productId)}
            lead={
              answer.vote === 'down'
                ? "Sorry this didn't help. Our support team can help:"
                : 'Our support team can help:'
            }
            subject={actions?.subject}
            conversation={actions?.summary}
          />
        )}
      </div>
    </div>
  );
}

/** The manual pages an answer (or a part of one) quotes, each a link to the page. */
function Citations({ productId, citations }: { productId: string; citations: Citation[] }) {
  if (citations.length === 0) return null;
  return (
    <p className="mt-2 flex flex-wrap items-center gap-1.5 text-sm text-slate-700 dark:text-slate-300">
      <span>Sources:</span>
      {citations.map((citation, i) => (
        <a
          // biome-ignore lint/suspicious/noArrayIndexKey: a finished answer's citations never reorder, and one page may be cited twice
          key={`${citation.page}-${i}`}
          href={manualPageUrl(productId, citation.page)}
          target="_blank"
          rel="noopener"
          title={citation.snippet}
          aria-label={`p. ${citation.page}: manual page ${citation.page}, ${citation.snippet}`}
          className={`inline-flex min-h-6 min-w-6 items-center justify-center rounded-md bg-white px-2 py-0.5 font-medium text-blue-800 underline ring-1 ring-slate-300 dark:bg-slate-900 dark:text-blue-300 dark:ring-slate-600 ${TAP_TARGET}`}
          data-testid="citation"
        >
          p. {citation.page}
        </a>
      ))}
    </p>
  );
}

/** A thumb drawn in SVG: emoji fonts are not everywhere (kiosks, minimal Linux), text is. Filled once chosen. */
function Thumb({ down = false, chosen = false }: { down?: boolean; chosen?: boolean }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      className={`size-4 stroke-current stroke-2 ${chosen ? 'fill-current' : 'fill-none'} ${down ? 'rotate-180' : ''}`}
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
        className={VOTE_BUTTON}
        aria-pressed={answer.vote === 'up'}
        aria-label="Helpful"
        onClick={() => vote('up')}
        data-testid="vote-up"
      >
        <Thumb chosen={answer.vote === 'up'} />
      </button>
      <button
        type="button"
        className={VOTE_BUTTON}
        aria-pressed={answer.vote === 'down'}
        aria-label="Not helpful"
        onClick={() => vote('down')}
        data-testid="vote-down"
      >
        <Thumb down chosen={answer.vote === 'down'} />
      </button>
      {answer.vote && (
        <span className="text-sm font-medium text-slate-800 dark:text-slate-200" role="status" data-testid="vote-given">
          {answer.vote === 'up' ? 'You found this helpful.' : 'You found this not helpful.'} Thanks for the feedback.
        </span>
      )}
    </div>
  );
}
