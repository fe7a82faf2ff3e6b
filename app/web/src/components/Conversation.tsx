/**
 * Questions and streamed answers in a virtualized list (react-virtuoso): only the rows near the viewport
 * are in the DOM, so 10,000 messages scroll as smoothly as ten. While an answer streams the list sticks
 * to the bottom, unless the reader scrolled up to read something earlier.
 */
import { memo, useCallback, useRef } from 'react';
import { Virtuoso } from 'react-virtuoso';
import type { Answer, Message } from '../state.ts';
import { asSentence, manualPageUrl } from '../format.ts';

const STICK_THRESHOLD_PX = 48;

/** `product`: the picked product's title, so the empty state says what to do next. */
export function Conversation({ messages, product }: { messages: Message[]; product?: string | undefined }) {
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
      <div className="grid min-h-0 flex-1 place-items-center rounded-xl border border-dashed border-slate-400 p-6 text-center text-slate-700">
        <p>
          {product
            ? `Ask anything about the ${product}. Answers quote the pages of its manual.`
            : 'Pick your product, then ask anything about it. Answers quote the pages of its manual.'}
        </p>
      </div>
    );
  }
  return (
    <section aria-label="Conversation" className="min-h-0 flex-1 rounded-xl border border-slate-300 bg-white">
      <Virtuoso
        data={messages}
        className="h-full"
        tabIndex={0}
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
    </section>
  );
}

const Row = memo(function Row({ message }: { message: Message }) {
  if (message.kind === 'question') {
    return (
      <div className="flex justify-end px-3 pt-3" data-testid="question">
        <p className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-sm bg-blue-700 px-3 py-2 text-white">
          <span className="sr-only">You asked: </span>
          {message.text}
        </p>
      </div>
    );
  }
  return <AnswerRow answer={message} />;
});

function AnswerRow({ answer }: { answer: Answer }) {
  const streaming = answer.status === 'streaming';
  return (
    <div className="px-3 pt-3" data-testid="answer" data-status={answer.status} data-ask-id={answer.askId}>
      <div
        aria-busy={streaming || answer.status === 'waiting'}
        className="max-w-[92%] rounded-2xl rounded-bl-sm bg-slate-100 px-3 py-2 text-slate-900"
      >
        {answer.status === 'waiting' && <p className="text-slate-700 italic">Waiting for the answer…</p>}
        {answer.text && (
          <p
            className={`whitespace-pre-wrap break-words ${streaming ? 'streaming-caret' : ''}`}
            data-testid="answer-text"
          >
            {answer.text}
          </p>
        )}
        {answer.status === 'failed' && (
          <p role="alert" className="mt-1 text-sm font-medium text-red-800" data-testid="answer-error">
            {answer.error ? asSentence(answer.error.message) : 'The answer could not be produced.'}
          </p>
        )}
        {answer.citations.length > 0 && (
          <p className="mt-2 flex flex-wrap items-center gap-1.5 text-sm text-slate-700">
            <span>Sources:</span>
            {answer.citations.map((citation, i) => (
              <a
                // biome-ignore lint/suspicious/noArrayIndexKey: a finished answer's citations never reorder, and one page may be cited twice
                key={`${citation.page}-${i}`}
                href={manualPageUrl(answer.productId, citation.page)}
                target="_blank"
                rel="noopener"
                title={citation.snippet}
                aria-label={`Manual page ${citation.page}: ${citation.snippet}`}
                className="rounded-md bg-white px-2 py-0.5 font-medium text-blue-800 underline ring-1 ring-slate-300"
                data-testid="citation"
              >
                p. {citation.page}
              </a>
            ))}
          </p>
        )}
      </div>
    </div>
  );
}
