/**
 * What a screen reader hears about predictions: how many products match and the best one, once the
 * customer pauses typing (debounced, polite), never on every keystroke.
 */
import { useEffect, useState } from 'react';
import { closestBrands, productTitle, WEAK_MATCH_BELOW } from '../format.ts';
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
  if (!top || top.confidence < WEAK_MATCH_BELOW) {
    const brands = closestBrands(state.predictions);
    return `We couldn't find that model.${brands.length > 0 ? ` Closest brands we carry: ${brands.join(', ')}.` : ''}`;
  }
  const count = state.predictions.length;
  return `${count} matching product${count === 1 ? '' : 's'}. Best match: ${productTitle(top)}.`;
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
