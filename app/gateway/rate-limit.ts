/**
 * A per-connection token bucket. Tokens refill continuously up to `burst`; a frame costs one. An empty
 * bucket drops frames (the client is told once, `rate_limited`); a client that keeps flooding past
 * another `burst` of dropped frames is abusive and gets closed.
 */
export type Admission = 'allow' | 'limit' | 'drop' | 'close';

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
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
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.dropped = 0;
      return 'allow';
    }
    this.dropped += 1;
    if (this.dropped === 1) return 'limit';
    return this.dropped > this.burst ? 'close' : 'drop';
  }
}
