/**
 * A per-connection token bucket. Tokens refill continuously up to `burst`; a frame costs one. An empty
 * bucket drops frames (the client is told once, `rate_limited`); a client that has had another `burst`
 * of frames dropped during one flood is abusive and gets closed.
 *
 * A flood ends only when the bucket is full again, i.e. the client's average fell back under the rate
 * for long enough. Ending it on the next admitted frame (as a refill of one token allows) would let any
 * sustained rate above the limit go on forever: it is admitted at the refill rate and never closed.
 */
export type Admission = 'allow' | 'limit' | 'drop' | 'close';

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  /** Frames dropped since the bucket was last full. */
  private dropped = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** 'limit' is returned once per flood (send rate_limited), then 'drop', then 'close'. */
  take(): Admission {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens >= this.burst) this.dropped = 0;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'allow';
    }
    this.dropped += 1;
    if (this.dropped === 1) return 'limit';
    return this.dropped > this.burst ? 'close' : 'drop';
  }
}
