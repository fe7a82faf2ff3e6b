/**
 * When a socket's keystrokes start fetching a manual just in time. Crossing the confidence threshold
 * once is not enough: the first keystroke that crossed 0.75 named the right product only 78% of the
 * time, because a prefix of a query often names another product outright ("roland tr-8" is the TR-808
 * on the way to the TR-8S, "mackie 402vl" the mixer on the way to its bag). The trigger fires when one
 * product has led at or above the threshold for JIT_CONFIRMATIONS keystrokes in a row, or when the
 * customer pauses (the gateway calls pause() after JIT_PAUSE_MS without a keystroke) while it leads.
 *
 * Calibrated on the tuning part of the labelled set (bench/queries/calibration.ts), never on the
 * held-out part: the fewest confirmations with a first-fire precision of at least 0.95 there, at the
 * default threshold of 0.9, was 4 (3 gave 0.93; at 0.75, 4 gave 0.93).
 */
import type { PredictionItem } from '../protocol.js';

export const JIT_CONFIRMATIONS = 4;
/** A pause this long after a keystroke counts as the customer having stopped typing the name. */
export const JIT_PAUSE_MS = 600;

export class JustInTimeTrigger {
  private candidate: string | undefined;
  private streak = 0;
  private fired: string | undefined;

  constructor(
    private readonly threshold: number,
    private readonly confirmations = JIT_CONFIRMATIONS,
  ) {}

  /** One keystroke's predictions, best first; returns the product whose manual to fetch now, if any. */
  keystroke(items: readonly PredictionItem[]): string | undefined {
    const top = items[0];
    if (top === undefined || top.confidence < this.threshold) {
      this.candidate = undefined;
      this.streak = 0;
      return undefined;
    }
    if (top.productId === this.candidate) this.streak++;
    else {
      this.candidate = top.productId;
      this.streak = 1;
    }
    return this.streak >= this.confirmations ? this.fire() : undefined;
  }

  /** True while a product leads at or above the threshold without having fired: a pause would fire it. */
  get pending(): boolean {
    return this.candidate !== undefined && this.candidate !== this.fired;
  }

  /** The customer stopped typing: the product leading at or above the threshold is fetched now. */
  pause(): string | undefined {
    return this.candidate === undefined ? undefined : this.fire();
  }

  /** Each product fires once in a row: typing on within its name does not fetch it again. */
  private fire(): string | undefined {
    if (this.candidate === this.fired) return undefined;
    this.fired = this.candidate;
    return this.fired;
  }
}
