/**
 * What the product card says about a manual, as a pure function (unit-tested without a DOM).
 * The server's `progress` covers the whole journey (download 0 → 0.5, then reading and indexing
 * 0.5 → 1), so it drives the bar only; the words use the facts the frame carries (bytes, pages).
 */
import type { ManualView } from './server-frames.ts';
import { asSentence, formatBytes, percent } from './format.ts';

export interface ManualLabel {
  label: string;
  /** 0..1 for the progress bar; undefined: indeterminate (we know something is happening, not how far). */
  value: number | undefined;
}

/** `now`: this browser's clock, for "retrying in N s" (the caller re-renders while a retry is pending). */
export function manualLabel(manual: ManualView | undefined, now = Date.now()): ManualLabel {
  if (!manual) return { label: 'Checking for the manual…', value: undefined };
  switch (manual.status) {
    case 'none':
      // The server says why there is none ("no manual is available for this product"): say it.
      return { label: manual.error ? asSentence(manual.error) : 'Manual not requested yet', value: 0 };
    case 'queued':
      // A failed attempt goes back to the queue with its reason ("retrying: …") and, from protocol v4
      // servers, when the next attempt starts: say all of it.
      // v5 `fair_share`: held back because this customer's earlier manuals come first. No time is
      // promised: the server asks again by itself, and how soon a share frees depends on other jobs.
      if (manual.queuedReason === 'fair_share')
        return { label: 'Manual waiting its turn: your other manuals are prepared first…', value: undefined };
      if (!manual.error?.startsWith('retrying: ')) return { label: 'Manual queued…', value: undefined };
      return {
        label: `Last attempt failed: ${manual.error.slice(10).replace(/\.$/, '')}. ${retryWhen(manual.retryAt, now)}`,
        value: undefined,
      };
    case 'fetching': {
      if (manual.bytes !== undefined) {
        const of = manual.totalBytes !== undefined ? ` of ${formatBytes(manual.totalBytes)}` : '';
        return { label: `Downloading the manual… ${formatBytes(manual.bytes)}${of}`, value: manual.progress };
      }
      // Connected, nothing received yet: a 0% bar would look stuck.
      if (manual.progress <= 0) return { label: 'Downloading the manual…', value: undefined };
      return { label: `Downloading the manual… ${percent(manual.progress)}`, value: manual.progress };
    }
    case 'indexing':
      return {
        label: manual.pages ? `Reading the manual… ${manual.pages} pages` : 'Reading the manual…',
        value: manual.progress,
      };
    case 'ready':
      return { label: `Manual ready${manual.pages ? ` · ${manual.pages} pages` : ''}`, value: 1 };
    case 'failed':
      // Never "will retry" here: nothing retries a failed manual until someone asks for it again.
      return { label: 'Could not get the manual; the app stopped trying', value: manual.progress };
  }
}

function retryWhen(retryAt: number | undefined, now: number): string {
  if (retryAt === undefined) return 'Trying again automatically…';
  const seconds = Math.ceil((retryAt - now) / 1000);
  if (seconds <= 0) return 'Trying again now…';
  if (seconds < 60) return `Retrying in ${seconds} s.`;
  const at = new Date(retryAt);
  return `Retrying at ${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}.`;
}
