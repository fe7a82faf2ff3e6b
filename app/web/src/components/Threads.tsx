/**
 * The session's conversations: the one on screen, "New conversation", and earlier ones (labelled by
 * product) to go back to. Each product has its own thread; picking a product opens its latest one.
 */
import { useEffect, useRef } from 'react';
import type { Thread } from '../state.ts';
import { productTitle } from '../format.ts';

const BUTTON =
  'inline-flex min-h-8 items-center rounded-md px-2.5 text-sm font-medium text-blue-800 ring-1 ring-slate-300 hover:bg-slate-100 disabled:text-slate-600 disabled:ring-slate-200 dark:text-blue-300 dark:ring-slate-600 dark:hover:bg-slate-800 dark:disabled:text-slate-400';

const questions = (thread: Thread) => thread.messages.filter((m) => m.kind === 'question').length;

export function Threads({
  threads,
  activeId,
  onNew,
  onOpen,
}: {
  threads: Thread[];
  activeId: string | undefined;
  onNew(): void;
  onOpen(threadId: string): void;
}) {
  const active = threads.find((t) => t.id === activeId);
  const others = threads.filter((t) => t.id !== activeId && t.messages.length > 0).reverse();
  const history = useRef<HTMLDetailsElement | null>(null);
  // The list is on screen exactly when this holds; its listeners follow it (they would stay unattached if
  // they followed `others` alone and a thread became active with earlier ones already there).
  const listed = active !== undefined && others.length > 0;
  useDismiss(history, listed);
  if (!active) return null;
  return (
    <nav aria-label="Conversations" className="flex flex-wrap items-center gap-2" data-testid="threads">
      {listed && (
        <details className="relative" ref={history}>
          <summary className={`${BUTTON} cursor-pointer list-none`} data-testid="thread-history">
            Earlier conversations ({others.length})
          </summary>
          <ul className="absolute left-0 z-30 mt-1 w-72 max-w-[90vw] rounded-lg border border-slate-300 bg-white p-1 shadow-lg dark:border-slate-600 dark:bg-slate-900">
            {others.map((thread) => {
              const first = thread.messages.find((m) => m.kind === 'question');
              return (
                <li key={thread.id}>
                  <button
                    type="button"
                    onClick={(event) => {
                      event.currentTarget.closest('details')?.removeAttribute('open');
                      onOpen(thread.id);
                    }}
                    className="block w-full rounded-md px-2 py-1.5 text-left hover:bg-slate-100 dark:hover:bg-slate-800"
                    data-testid="thread-item"
                  >
                    <span className="block text-sm font-semibold text-slate-900 dark:text-slate-100">
                      {productTitle(thread.product)}
                    </span>
                    <span className="block truncate text-sm text-slate-700 dark:text-slate-300">
                      {questions(thread)} question{questions(thread) === 1 ? '' : 's'}
                      {first ? `: ${first.text}` : ''}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </details>
      )}
      <button
        type="button"
        className={BUTTON}
        onClick={onNew}
        disabled={active.messages.length === 0}
        data-testid="new-conversation"
      >
        New conversation
      </button>
    </nav>
  );
}

/**
 * An open disclosure list closes like a menu: on Escape (focus back on its summary) and on a press
 * outside it. The listeners stay while the list exists, not only while it is open: attached after the
 * list's toggle event had re-rendered, they missed an Escape pressed at once after opening it.
 */
function useDismiss(ref: { current: HTMLDetailsElement | null }, exists: boolean): void {
  useEffect(() => {
    const details = ref.current;
    if (!exists || !details) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !details.open) return;
      details.open = false;
      details.querySelector('summary')?.focus();
    };
    const onPress = (event: PointerEvent) => {
      if (details.open && !details.contains(event.target as Node)) details.open = false;
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPress);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPress);
    };
  }, [ref, exists]);
}
