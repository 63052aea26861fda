/**
 * Client-side pacing that cannot exceed a server's sliding-window limit, whatever the latency.
 *
 * Postscript counts a request when it arrives, somewhere between when we start it and when its
 * answer comes back. So a request holds a slot from its start until one window after its answer:
 * any two requests whose slots do not overlap are more than a window apart at the server too.
 * Pacing on start times alone (with a margin) breaks when the first request of a burst is slow to
 * arrive and a later one is fast; this does not. The cost is one round trip per window.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export class CompletionWindowLimiter {
  private readonly tokens = new Map<string, { inFlight: number; done: number[] }>();

  constructor(
    readonly limit = 15,
    readonly windowMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private entry(token: string): { inFlight: number; done: number[] } {
    let e = this.tokens.get(token);
    if (e === undefined) {
      e = { inFlight: 0, done: [] };
      this.tokens.set(token, e);
    }
    const t = this.now();
    while (e.done.length > 0 && t - e.done[0]! >= this.windowMs) e.done.shift();
    return e;
  }

  available(token: string): number {
    const e = this.entry(token);
    return Math.max(0, this.limit - e.inFlight - e.done.length);
  }

  /** Takes a slot for a request about to start; false when none is free. */
  tryAcquire(token: string): boolean {
    if (this.available(token) <= 0) return false;
    this.entry(token).inFlight += 1;
    return true;
  }

  /** The request's answer (or failure) arrived: its slot frees one window from now. */
  release(token: string): void {
    const e = this.entry(token);
    e.inFlight = Math.max(0, e.inFlight - 1);
    e.done.push(this.now());
  }

  /**
   * When a slot frees up by time alone; null when only an in-flight request finishing can free
   * one (the caller is told about that separately).
   */
  nextFreeAt(token: string): number | null {
    const e = this.entry(token);
    if (e.inFlight + e.done.length < this.limit) return this.now();
    if (e.done.length === 0) return null;
    // Enough completed slots must expire to get below the limit.
    const needed = e.inFlight + e.done.length - this.limit + 1;
    if (needed > e.done.length) return null;
    return e.done[needed - 1]! + this.windowMs;
  }

  /** Waits for a slot (for one-off calls outside the outbox, such as validating a key). */
  async acquire(token: string): Promise<void> {
    while (!this.tryAcquire(token)) {
      const at = this.nextFreeAt(token);
      const wait = at === null ? 20 : Math.max(1, at - this.now());
      await sleep(wait);
    }
  }

  /** After a 429: the token takes no new request for a whole window. */
  block(token: string): void {
    const e = this.entry(token);
    const t = this.now();
    e.done = Array.from({ length: this.limit }, () => t);
  }
}
