/**
 * Postscript's limit as the Sandbox enforces it: 15 requests per second per token, as a sliding
 * window: no window of `windowMs`, wherever it starts, ever holds more than `limit` admitted
 * requests for one token. Only the Sandbox uses it (`tryAcquire`, `reset`). The app paces its own
 * calls with CompletionWindowLimiter (completionWindow.ts), not with this; `nextFreeAt`,
 * `available` and `block` remain from when it did, and only unit tests call them now.
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

  /** When the next request for this token could be admitted (now, if it could be now). */
  nextFreeAt(token: string): number {
    const t = this.now();
    const stamps = this.windows.get(token);
    if (stamps === undefined) return t;
    while (stamps.length > 0 && t - stamps[0]! >= this.windowMs) stamps.shift();
    return stamps.length < this.limit ? t : stamps[stamps.length - this.limit]! + this.windowMs;
  }

  /** How many requests this token could send right now. */
  available(token: string): number {
    const t = this.now();
    const stamps = this.windows.get(token);
    if (stamps === undefined) return this.limit;
    while (stamps.length > 0 && t - stamps[0]! >= this.windowMs) stamps.shift();
    return Math.max(0, this.limit - stamps.length);
  }

  /** Fills the token's window as if it had just sent `limit` requests: used to back off after a 429. */
  block(token: string): void {
    const t = this.now();
    this.windows.set(token, Array.from({ length: this.limit }, () => t));
  }

  forget(token: string): void {
    this.windows.delete(token);
  }

  reset(): void {
    this.windows.clear();
  }
}
