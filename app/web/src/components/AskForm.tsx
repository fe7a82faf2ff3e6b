/** The question box: enabled once a product is picked; Enter sends. Questions asked offline are queued. */
import { useState, type FormEvent } from 'react';
import type { Product } from '../state.ts';
import { productTitle } from '../format.ts';

export function AskForm({
  product,
  disabledReason,
  onAsk,
}: {
  product: Product | undefined;
  /** Why questions cannot be asked now (no product yet, no manual): shown in the box, read with it. */
  disabledReason: string | undefined;
  onAsk(question: string): void;
}) {
  const [question, setQuestion] = useState('');
  const disabled = disabledReason !== undefined;
  function submit(event: FormEvent) {
    event.preventDefault();
    const text = question.trim();
    if (!text || disabled) return;
    onAsk(text);
    setQuestion('');
  }
  return (
    <form onSubmit={submit} className="flex gap-2" aria-label="Ask a question">
      <label htmlFor="question" className="sr-only">
        {product ? `Your question about ${productTitle(product)}` : 'Your question'}
      </label>
      <input
        id="question"
        type="text"
        autoComplete="off"
        maxLength={2000}
        disabled={disabled}
        value={question}
        onChange={(event) => setQuestion(event.target.value)}
        placeholder={disabledReason ?? 'Ask about this product…'}
        aria-describedby={disabledReason ? 'ask-disabled-reason' : undefined}
        className="min-w-0 flex-1 rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 placeholder:text-slate-600 disabled:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-400 dark:disabled:bg-slate-800"
      />
      {disabledReason && (
        <span id="ask-disabled-reason" className="sr-only" data-testid="ask-disabled-reason">
          {disabledReason}.
        </span>
      )}
      <button
        type="submit"
        disabled={disabled || question.trim() === ''}
        className="shrink-0 rounded-lg bg-blue-700 px-4 py-2.5 font-semibold text-white hover:bg-blue-800 disabled:bg-slate-300 disabled:text-slate-700 dark:disabled:bg-slate-700 dark:disabled:text-slate-300"
      >
        Ask
      </button>
    </form>
  );
}
