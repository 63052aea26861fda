/**
 * Postscript's limit: 15 requests per second per token. Enforced as a sliding one-second window of
 * accepted requests, which is the strictest reading: no window of 1000 ms, wherever it starts, ever
 * holds more than `limit` accepted requests for one token.
 */
export class SlidingWindowLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    readonly limit = 15,
    readonly windowMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records and admits the request, or returns false when it would exceed the limit. */
  tryAcquire(token: string): boolean {
    const t = this.now();
    let stamps = this.windows.get(token);
    if (stamps === undefined) {
      stamps = [];
      this.windows.set(token, stamps);
    }
    while (stamps.length > 0 && t - stamps[0]! >= this.windowMs) stamps.shift();
    if (stamps.length >= this.limit) return false;
    stamps.push(t);
    return true;
  }

  reset(): void {
    this.windows.clear();
  }
}
