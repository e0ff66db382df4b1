// Per-write-key token bucket for ingest. The write key is public, so a flood with it must not
// starve the store; over the limit the answer is 429 with Retry-After, which the recorder honours
// (its outbox keeps the batch and sends it later, so nothing is lost).
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `perSecond` batches per second per key, bursts up to `burst`; 0 turns limiting off */
  constructor(
    private readonly perSecond: number,
    private readonly burst: number = Math.max(1, perSecond * 10),
    private readonly now: () => number = Date.now,
  ) {}

  /** null when allowed, else the seconds to wait */
  take(key: string): number | null {
    if (this.perSecond <= 0) return null;
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size > 10_000) this.buckets.clear(); // bounded memory under key spraying
      b = { tokens: this.burst, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond));
  }
}
