/**
 * What a screen reader hears about predictions: how many products match and the best one, once the
 * customer pauses typing (debounced, polite), never on every keystroke.
 */
import { useEffect, useState } from 'react';
import { productTitle } from '../format.ts';
import { isWeak, notFoundText, rowTitle } from '../rows.ts';
import { predictionsCurrent, type UiState } from '../state.ts';

export const PREDICTION_ANNOUNCE_DELAY_MS = 700;

export function predictionSummary(state: UiState): string {
  if (state.query.trim() === '' || (state.product?.productId && state.query === productTitle(state.product))) return '';
  if (!predictionsCurrent(state))
    // A draining server still predicts: only a lost connection makes predictions wait.
    return state.connection.state === 'open' || state.connection.state === 'switching'
      ? ''
      : 'Offline: matches will update when the connection is back.';
  const top = state.predictions[0];
  if (!top || isWeak(top, state.notFound)) return notFoundText(state.predictions, state.notFound);
  const count = state.predictions.length;
  const what =
    top.kind === 'brand'
      ? ', a brand: Enter adds it'
      : top.kind === 'family'
        ? `, ${top.variants.length} variants: Enter asks which`
        : '';
  const noun = state.predictions.some((row) => row.kind === 'brand')
    ? `match${count === 1 ? '' : 'es'}`
    : `matching product${count === 1 ? '' : 's'}`;
  return `${count} ${noun}. Best match: ${rowTitle(top)}${what}.`;
}

export function PredictionStatus({ state }: { state: UiState }) {
  const summary = predictionSummary(state);
  const [spoken, setSpoken] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSpoken(summary), PREDICTION_ANNOUNCE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [summary]);
  return (
    <p className="sr-only" role="status" aria-live="polite" data-testid="prediction-status">
      {spoken}
    </p>
  );
}
