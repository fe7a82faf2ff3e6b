/**
 * When a socket's keystrokes start fetching a manual just in time. Crossing the confidence threshold
 * once is not enough: the first keystroke that crossed 0.75 named the right product only 78% of the
 * time, because a prefix of a query often names another product outright ("roland tr-8" is the TR-808
 * on the way to the TR-8S, "mackie 402vl" the mixer on the way to its bag). The trigger fires when one
 * product has led at or above the threshold for JIT_CONFIRMATIONS keystrokes in a row, or when the
 * customer pauses (JIT_PAUSE_MS without a keystroke: the trigger's own timer) while it leads.
 *
 * Calibrated on the tuning part of the labelled set (bench/queries/calibration.ts), never on the
 * held-out part: the fewest confirmations with a first-fire precision of at least 0.95 there, at the
 * default threshold of 0.9, was 4 (3 gave 0.93; at 0.75, 4 gave 0.93).
 */
import type { PredictionItem } from '../../shared/protocol.js';

export const JIT_CONFIRMATIONS = 4;
/** A pause this long after a keystroke counts as the customer having stopped typing the name. */
export const JIT_PAUSE_MS = 600;

export interface JustInTimeTriggerOptions {
  /** A product's manual to fetch now: called once per product in a row, by a keystroke or a pause. */
  fire: (productId: string) => void;
  /** Keystrokes in a row one product must lead at or above the threshold. */
  confirmations?: number;
  /** How long without a keystroke counts as a pause. */
  pauseMs?: number;
}

export class JustInTimeTrigger {
  private candidate: string | undefined;
  private streak = 0;
  private fired: string | undefined;
  /** Armed while a product leads without having fired; each keystroke starts it again. */
  private pauseTimer: NodeJS.Timeout | undefined;
  private readonly fire: (productId: string) => void;
  private readonly confirmations: number;
  private readonly pauseMs: number;

  constructor(
    private readonly prefetchConfidence: number,
    options: JustInTimeTriggerOptions,
  ) {
    this.fire = options.fire;
    this.confirmations = options.confirmations ?? JIT_CONFIRMATIONS;
    this.pauseMs = options.pauseMs ?? JIT_PAUSE_MS;
  }

  /** One keystroke's predictions, best first: fires a product confirmed now, or waits for a pause. */
  keystroke(items: readonly PredictionItem[]): void {
    const top = items[0];
    if (top === undefined || top.confidence < this.prefetchConfidence) {
      this.candidate = undefined;
      this.streak = 0;
    } else if (top.productId === this.candidate) this.streak++;
    else {
      this.candidate = top.productId;
      this.streak = 1;
    }
    if (this.candidate !== undefined && this.streak >= this.confirmations) this.fireCandidate();
    if (this.pending) this.armPause();
    else this.disarm();
  }

  /** True while a product leads at or above the threshold without having fired: a pause would fire it. */
  get pending(): boolean {
    return this.candidate !== undefined && this.candidate !== this.fired;
  }

  /**
   * The customer stopped typing: the product leading at or above the threshold is fetched now. The
   * trigger's timer calls this JIT_PAUSE_MS after the last keystroke; a replay of typed queries (the
   * calibration) calls it at the end of each.
   */
  pause(): void {
    this.disarm();
    this.fireCandidate();
  }

  /** No more keystrokes (the socket closed): a pause timer still armed never fires. */
  stop(): void {
    this.disarm();
  }

  private armPause(): void {
    if (this.pauseTimer) this.pauseTimer.refresh();
    else {
      this.pauseTimer = setTimeout(() => this.pause(), this.pauseMs);
      this.pauseTimer.unref();
    }
  }

  private disarm(): void {
    clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
  }

  /** Each product fires once in a row: typing on within its name does not fetch it again. */
  private fireCandidate(): void {
    if (this.candidate === undefined || this.candidate === this.fired) return;
    this.fired = this.candidate;
    this.fire(this.fired);
  }
}
