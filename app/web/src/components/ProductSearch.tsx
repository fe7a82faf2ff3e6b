/**
 * The typing box: an ARIA 1.2 combobox. Every keystroke goes to the server (predictions come back);
 * ArrowDown/ArrowUp move through the listbox, Enter chooses (the highlighted option, else the best match
 * for the text in the box: App waits briefly for it when the reply is still on its way), Escape closes.
 * Options are brands (choosing one completes the box with it), product families (choosing one opens
 * the variant picker) and products. Focus stays in the input; the highlighted option is announced via
 * aria-activedescendant. While a reply is on its way the previous matches stay, dimmed; a weak best
 * match reads "We couldn't find that model" with the brands closest to it, and Enter does not pick it.
 */
import type { Dispatch, KeyboardEvent } from 'react';
import type { NotFound, Prediction } from '../server-frames.ts';
import type { Action, Notice } from '../state.ts';
import { confidencePercent, SEARCH_EXAMPLE } from '../format.ts';
import { isWeak, notFoundText, rowDetail, rowFigure, rowKey, rowTitle } from '../rows.ts';
import { Highlighted } from './Highlighted.tsx';

interface Props {
  query: string;
  predictions: Prediction[];
  /** v5: the server's verdict on the predictions that no row is good enough. */
  notFound: NotFound | undefined;
  /** The predictions were made for the text in the box (not an older text). */
  current: boolean;
  online: boolean;
  /** The box holds the picked product's name: no "best match" line for it. */
  picked: boolean;
  listOpen: boolean;
  activeIndex: number;
  notice: Notice | undefined;
  dispatch: Dispatch<Action>;
  onType(text: string): void;
  /** Enter or a click: the chosen option, or undefined for "the best match for the text in the box". */
  onChoose(item: Prediction | undefined): void;
}

const LIST_ID = 'product-options';
const optionId = (index: number) => `product-option-${index}`;

export function ProductSearch({
  query,
  predictions,
  notFound,
  current,
  online,
  picked,
  listOpen,
  activeIndex,
  notice,
  dispatch,
  onType,
  onChoose,
}: Props) {
  // Matches for an older text are never offered as matches for this one (offline, they cannot update);
  // online, they stay on screen, dimmed, until the reply for this text arrives.
  const shown = current || online ? predictions : [];
  const verdict = current || online ? notFound : undefined;
  const expanded = listOpen && shown.length > 0 && !picked;
  const typed = query.trim() !== '';
  const top = shown[0];
  // Weak: the best match (for this text, or dimmed, the one before) is not good enough; no match at
  // all counts only once the reply for this text says so.
  const weak = typed && (top === undefined && verdict === undefined ? current : isWeak(top, verdict));

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        dispatch({ type: 'move', to: event.altKey ? 'first' : 'next' });
        break;
      case 'ArrowUp':
        event.preventDefault();
        dispatch({ type: 'move', to: 'previous' });
        break;
      case 'Enter': {
        if (!listOpen || picked || !typed) break;
        event.preventDefault();
        onChoose(expanded && current ? shown[activeIndex] : undefined);
        break;
      }
      case 'Escape':
        if (expanded) {
          event.preventDefault();
          dispatch({ type: 'list', open: false });
        }
        break;
    }
  }

  return (
    <div className="relative">
      <label htmlFor="product-search" className="mb-1 block text-sm font-semibold text-slate-800 dark:text-slate-200">
        Which product do you need help with?
      </label>
      <input
        id="product-search"
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={LIST_ID}
        aria-activedescendant={expanded && activeIndex >= 0 ? optionId(activeIndex) : undefined}
        aria-describedby="product-search-hint"
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        maxLength={256}
        placeholder={`e.g. ${SEARCH_EXAMPLE}`}
        value={query}
        onChange={(event) => onType(event.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => dispatch({ type: 'list', open: query.trim() !== '' && !picked })}
        onBlur={() => dispatch({ type: 'list', open: false })}
        className="w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 placeholder:text-slate-600 focus:border-blue-700 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-400"
      />
      <ul
        id={LIST_ID}
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA combobox pattern (the input keeps focus, aria-activedescendant points here)
        role="listbox"
        aria-label="Matching products"
        hidden={!expanded}
        aria-busy={!current}
        data-stale={!current}
        className={`absolute inset-x-0 top-full z-20 mt-1 max-h-72 overflow-y-auto rounded-lg border border-slate-300 bg-white py-1 shadow-lg dark:border-slate-600 dark:bg-slate-900 ${current ? '' : 'opacity-60'}`}
      >
        {shown.map((item, index) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the combobox input (aria-activedescendant)
          <li
            key={rowKey(item)}
            data-kind={item.kind}
            id={optionId(index)}
            // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: options of the combobox's listbox
            role="option"
            tabIndex={-1}
            aria-selected={index === activeIndex}
            onMouseDown={(event) => event.preventDefault() /* keep focus in the input */}
            onClick={() => onChoose(item)}
            className={`flex cursor-pointer items-baseline justify-between gap-3 px-3 py-2 ${
              index === activeIndex
                ? 'bg-blue-700 text-white'
                : 'text-slate-900 hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800'
            }`}
          >
            <span className="min-w-0">
              <span
                className={`block text-xs ${index === activeIndex ? 'text-blue-100' : 'text-slate-700 dark:text-slate-300'}`}
              >
                {item.kind === 'brand' ? 'Brand' : item.brand}
              </span>
              <span className="block truncate font-medium">
                <Highlighted text={item.kind === 'brand' ? item.brand : item.name} query={query} />
              </span>
            </span>
            <span
              className={`shrink-0 text-right text-sm tabular-nums ${index === activeIndex ? 'text-white' : 'text-slate-700 dark:text-slate-300'}`}
            >
              <span className="block">{rowFigure(item)}</span>
              <span className={`block text-xs ${index === activeIndex ? 'text-blue-100' : ''}`}>{rowDetail(item)}</span>
            </span>
          </li>
        ))}
      </ul>
      <p
        id="product-search-hint"
        className="mt-1 min-h-5 text-sm text-slate-700 dark:text-slate-300"
        data-testid="top-confidence"
      >
        {picked ? (
          'Type another model name to switch products.'
        ) : !current && !online && typed ? (
          'Offline: matches will update when the connection is back.'
        ) : weak ? (
          <span data-testid="not-found" className={current ? '' : 'opacity-60'} data-stale={!current}>
            {notFoundText(shown, verdict)}
          </span>
        ) : top && typed ? (
          // The previous best match stays, dimmed, while the reply for the newest text is on its way.
          <span className={current ? '' : 'opacity-60'} data-stale={!current}>
            Best match: <span className="font-semibold">{rowTitle(top)}</span>{' '}
            {top.kind === 'brand' ? (
              '(a brand): Enter adds it, then type the model.'
            ) : (
              <span className="whitespace-nowrap">
                ({confidencePercent(top.confidence)} sure
                {top.kind === 'family' ? `, ${top.variants.length} variants` : ''})
              </span>
            )}
          </span>
        ) : (
          'Type a model name; small typos are fine. Arrow keys and Enter pick.'
        )}
      </p>
      {notice?.where === 'search' && (
        <p
          role="alert"
          className="mt-1 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 dark:bg-red-950 dark:text-red-200"
        >
          {notice.message}
        </p>
      )}
    </div>
  );
}
