import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../src-main/ratelimit/slidingWindow';

describe('sliding window limiter (Postscript: 15 requests/second per token)', () => {
  it('admits 15 in a second and refuses the 16th', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(15, 1000, () => now);
    for (let i = 0; i < 15; i++) {
      now = i * 10;
      expect(limiter.tryAcquire('t')).toBe(true);
    }
    now = 999;
    expect(limiter.tryAcquire('t')).toBe(false);
  });

  it('admits again once the oldest request leaves the window', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(15, 1000, () => now);
    for (let i = 0; i < 15; i++) limiter.tryAcquire('t');
    now = 1000;
    expect(limiter.tryAcquire('t')).toBe(true);
  });

  it('counts tokens separately', () => {
    const limiter = new SlidingWindowLimiter(2, 1000, () => 0);
    expect(limiter.tryAcquire('a')).toBe(true);
    expect(limiter.tryAcquire('a')).toBe(true);
    expect(limiter.tryAcquire('a')).toBe(false);
    expect(limiter.tryAcquire('b')).toBe(true);
  });

  it('never lets any one-second window hold more than the limit', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(15, 1000, () => now);
    const admitted: number[] = [];
    for (let i = 0; i < 5000; i++) {
      now += Math.random() * 20;
      if (limiter.tryAcquire('t')) admitted.push(now);
    }
    for (let i = 0; i < admitted.length; i++) {
      let j = i;
      while (j < admitted.length && admitted[j]! - admitted[i]! < 1000) j++;
      expect(j - i).toBeLessThanOrEqual(15);
    }
  });
});

describe('sliding window: availability, next free time and block()', () => {
  it('says how many can go now and when the next one may', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(3, 1000, () => now);
    expect(limiter.available('t')).toBe(3);
    limiter.tryAcquire('t');
    now = 100;
    limiter.tryAcquire('t');
    limiter.tryAcquire('t');
    expect(limiter.available('t')).toBe(0);
    expect(limiter.nextFreeAt('t')).toBe(1000);
    now = 1000;
    expect(limiter.available('t')).toBe(1);
  });

  it('block() holds a token back for a whole window', () => {
    let now = 500;
    const limiter = new SlidingWindowLimiter(15, 1000, () => now);
    limiter.block('t');
    expect(limiter.available('t')).toBe(0);
    expect(limiter.nextFreeAt('t')).toBe(1500);
    now = 1500;
    expect(limiter.available('t')).toBe(15);
  });
});

describe('completion-window pacing (the outbox side)', () => {
  it('a slot is held while in flight and for a window after the answer', async () => {
    const { CompletionWindowLimiter } = await import('../../src-main/ratelimit/completionWindow');
    let now = 0;
    const l = new CompletionWindowLimiter(2, 1000, () => now);
    expect(l.tryAcquire('t')).toBe(true);
    expect(l.tryAcquire('t')).toBe(true);
    expect(l.tryAcquire('t')).toBe(false);
    expect(l.nextFreeAt('t')).toBeNull(); // only a finishing request can free a slot
    now = 300;
    l.release('t'); // answered at 300
    expect(l.available('t')).toBe(0);
    expect(l.nextFreeAt('t')).toBe(1300);
    now = 1299;
    expect(l.tryAcquire('t')).toBe(false);
    now = 1300;
    expect(l.tryAcquire('t')).toBe(true);
  });

  it('keeps any server-side window at the limit whatever the arrival delays', async () => {
    const { CompletionWindowLimiter } = await import('../../src-main/ratelimit/completionWindow');
    // Simulate: requests start when allowed; each arrives at a random point before its answer.
    let now = 0;
    const l = new CompletionWindowLimiter(15, 1000, () => now);
    const arrivals: number[] = [];
    const inflight: Array<{ arrive: number; end: number }> = [];
    while (now < 20_000) {
      while (l.tryAcquire('t')) {
        const latency = 1 + Math.random() * 300;
        const arrive = now + Math.random() * latency;
        inflight.push({ arrive, end: now + latency });
        arrivals.push(arrive);
      }
      now += 1;
      for (let i = inflight.length - 1; i >= 0; i--) {
        if (inflight[i]!.end <= now) {
          inflight.splice(i, 1);
          l.release('t');
        }
      }
    }
    arrivals.sort((a, b) => a - b);
    for (let i = 0, j = 0; i < arrivals.length; i++) {
      while (j < arrivals.length && arrivals[j]! - arrivals[i]! < 1000) j++;
      expect(j - i).toBeLessThanOrEqual(15);
    }
    expect(arrivals.length).toBeGreaterThan(200);
  });
});

describe('completion-window limiter: a 429 pauses the whole token (the limiter the outbox uses)', () => {
  it('after block() the token takes no request for one window, then all of its slots come back', async () => {
    // Guards against block() holding back fewer than every slot (e.g. one), or for less than a window.
    const { CompletionWindowLimiter } = await import('../../src-main/ratelimit/completionWindow');
    let now = 0;
    const l = new CompletionWindowLimiter(15, 1000, () => now);
    expect(l.tryAcquire('t')).toBe(true);
    now = 200;
    l.release('t'); // the 429 answer
    l.block('t');
    expect(l.available('t')).toBe(0);
    expect(l.tryAcquire('t')).toBe(false);
    expect(l.nextFreeAt('t')).toBe(1200);
    now = 1199;
    expect(l.tryAcquire('t')).toBe(false);
    now = 1200;
    expect(l.available('t')).toBe(15);
  });

  it('a request still in flight when the token is blocked keeps its slot after the window', async () => {
    // Guards against block() forgetting in-flight requests: they still count when they answer.
    const { CompletionWindowLimiter } = await import('../../src-main/ratelimit/completionWindow');
    let now = 0;
    const l = new CompletionWindowLimiter(3, 1000, () => now);
    expect(l.tryAcquire('t')).toBe(true);
    l.block('t');
    expect(l.nextFreeAt('t')).toBe(1000);
    now = 1000;
    expect(l.available('t')).toBe(2); // the in-flight one still holds a slot
    now = 1100;
    l.release('t');
    expect(l.available('t')).toBe(2); // and for a window after its answer
    now = 2100;
    expect(l.available('t')).toBe(3);
  });

  it('blocks only the token that was told to slow down', async () => {
    // Guards against a block that pauses every token (one merchant's 429 would stall a whole batch).
    const { CompletionWindowLimiter } = await import('../../src-main/ratelimit/completionWindow');
    const l = new CompletionWindowLimiter(15, 1000, () => 0);
    l.block('a');
    expect(l.available('a')).toBe(0);
    expect(l.available('b')).toBe(15);
  });
});

describe('limiters: when the next request may go (found by mutation testing)', () => {
  it('completion window: now when a slot is free, null while only in-flight requests hold them, else when enough answers age out', async () => {
    // Guards against a wrong next-free time: the outbox would spin, or sleep past a free slot.
    const { CompletionWindowLimiter } = await import('../../src-main/ratelimit/completionWindow');
    let now = 0;
    const l = new CompletionWindowLimiter(3, 1000, () => now);
    expect(l.nextFreeAt('t')).toBe(0);
    l.tryAcquire('t');
    l.tryAcquire('t');
    l.tryAcquire('t');
    expect(l.nextFreeAt('t')).toBeNull(); // all three in flight
    now = 100;
    l.release('t');
    now = 200;
    l.release('t');
    expect(l.nextFreeAt('t')).toBe(1100); // one in flight, two answered: the first answer ages out first
    now = 1100;
    expect(l.nextFreeAt('t')).toBe(1100);
  });

  it('completion window: acquire() waits for a slot, then takes it', async () => {
    const { CompletionWindowLimiter } = await import('../../src-main/ratelimit/completionWindow');
    const l = new CompletionWindowLimiter(1, 50);
    await l.acquire('t');
    l.release('t');
    const started = Date.now();
    await l.acquire('t');
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(l.available('t')).toBe(0);
  });

  it('sliding window: next free time and availability drop requests older than the window', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(2, 1000, () => now);
    expect(limiter.nextFreeAt('t')).toBe(0);
    limiter.tryAcquire('t');
    now = 300;
    limiter.tryAcquire('t');
    expect(limiter.nextFreeAt('t')).toBe(1000);
    expect(limiter.available('t')).toBe(0);
    now = 1000;
    expect(limiter.available('t')).toBe(1);
    now = 1100;
    expect(limiter.nextFreeAt('t')).toBe(1100);
    now = 1300;
    expect(limiter.available('t')).toBe(2);
  });

  it('sliding window: forget and reset free a token at once', () => {
    const limiter = new SlidingWindowLimiter(1, 1000, () => 0);
    limiter.tryAcquire('a');
    limiter.tryAcquire('b');
    limiter.forget('a');
    expect(limiter.available('a')).toBe(1);
    expect(limiter.available('b')).toBe(0);
    limiter.reset();
    expect(limiter.available('b')).toBe(1);
  });
});

describe('limiters: the last edges mutation testing found', () => {
  it('sliding window: the next free time is now once every request has left the window', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(2, 1000, () => now);
    limiter.tryAcquire('t');
    limiter.tryAcquire('t');
    now = 1300; // nothing else looked at the window since
    expect(limiter.nextFreeAt('t')).toBe(1300);
  });

  it('completion window: blocked with every slot in flight, only an answer can free one', async () => {
    // Guards against returning a time computed from a slot that does not exist (NaN: the outbox would never wake).
    const { CompletionWindowLimiter } = await import('../../src-main/ratelimit/completionWindow');
    const l = new CompletionWindowLimiter(1, 1000, () => 0);
    l.tryAcquire('t');
    l.block('t');
    expect(l.nextFreeAt('t')).toBeNull();
  });
});
