/**
 * Which variant of a product family (colour, size, pack, bundle): a listbox that takes focus each time
 * a family is chosen (App moves it to VARIANT_LIST_ID), so a keyboard user continues here. ArrowDown/ArrowUp (Home/End) move, Enter or Space picks
 * the highlighted variant (the one `select`ed), Escape goes back to the search box. Each option says
 * whether that variant has a manual: variants can differ in it, and it is what a customer here needs.
 */
import type { Dispatch, KeyboardEvent } from 'react';
import { manualNote, type Product, variantProduct } from '../rows.ts';
import type { Action, VariantChoice } from '../state.ts';
import { productTitle } from '../format.ts';

interface Props {
  choice: VariantChoice;
  dispatch: Dispatch<Action>;
  onPick(product: Product): void;
}

export const VARIANT_LIST_ID = 'variant-options';
const optionId = (index: number) => `variant-option-${index}`;

export function VariantPicker({ choice, dispatch, onPick }: Props) {
  const { family, activeIndex } = choice;

  const back = () => {
    dispatch({ type: 'variants-closed' });
    document.getElementById('product-search')?.focus();
  };
  const pick = (index: number) => {
    const variant = family.variants[index];
    if (variant) onPick(variantProduct(family, variant));
  };

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const move = { ArrowDown: 'next', ArrowUp: 'previous', Home: 'first', End: 'last' } as const;
    if (Object.hasOwn(move, event.key)) {
      event.preventDefault();
      dispatch({ type: 'variant-move', to: move[event.key as keyof typeof move] });
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      pick(activeIndex);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      back();
    }
  }

  const title = productTitle(family);
  return (
    <section
      aria-labelledby="variant-heading"
      className="rounded-lg border border-slate-300 bg-white p-3 dark:border-slate-600 dark:bg-slate-900"
      data-testid="variant-picker"
    >
      <h2 id="variant-heading" className="text-sm font-semibold text-slate-800 dark:text-slate-200">
        Which {title}?
      </h2>
      <p id="variant-hint" className="mb-2 text-xs text-slate-700 dark:text-slate-300">
        {family.variants.length} variants. Arrow keys and Enter pick; Escape goes back to the search.
      </p>
      <div
        id={VARIANT_LIST_ID}
        role="listbox"
        tabIndex={0}
        aria-labelledby="variant-heading"
        aria-describedby="variant-hint"
        aria-activedescendant={optionId(activeIndex)}
        onKeyDown={onKeyDown}
        className="max-h-60 overflow-y-auto rounded-md border border-slate-300 py-1 dark:border-slate-600"
      >
        {family.variants.map((variant, index) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the listbox (aria-activedescendant)
          <div
            key={variant.productId}
            id={optionId(index)}
            role="option"
            tabIndex={-1}
            aria-selected={index === activeIndex}
            data-product-id={variant.productId}
            onClick={() => pick(index)}
            className={`flex cursor-pointer items-baseline justify-between gap-3 px-3 py-2 ${
              index === activeIndex
                ? 'bg-blue-700 text-white'
                : 'text-slate-900 hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800'
            }`}
          >
            <span className="font-medium">{variant.label || title}</span>
            <span
              className={`shrink-0 text-xs ${index === activeIndex ? 'text-blue-100' : 'text-slate-700 dark:text-slate-300'}`}
            >
              {manualNote(variant.hasManual)}
            </span>
          </div>
        ))}
      </div>
      <button
        type="button"
        onClick={back}
        className="mt-2 min-h-6 text-sm font-medium text-blue-800 underline dark:text-blue-300"
      >
        Back to search
      </button>
    </section>
  );
}
