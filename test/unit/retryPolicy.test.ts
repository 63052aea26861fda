/**
 * What the outbox does after one attempt: which answers are retried, with what delay, when it
 * gives up, and which failures are never retried by themselves (a second text to a real phone).
 */
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src-main/postscript/client';
import { attemptOutcome, backoffDelay, decide, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src-main/outbox/retryPolicy';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };
const request = { method: 'POST', url: 'http://127.0.0.1/api/v2/custom-events', headers: {}, body: '{}' };
const answer = (status: number, body = ''): Exchange => ({ request, response: { status, body }, failure: null, latencyMs: 5, startedAt: '', finishedAt: '' });
const noAnswer = (sent: boolean, message = 'connect ECONNREFUSED'): Exchange => ({ request, response: null, failure: { kind: sent ? 'reset' : 'connect', sent, message }, latencyMs: 5, startedAt: '', finishedAt: '' });
const top = () => 0.999999;

describe('retry policy', () => {
  it('a 2xx is delivered', () => {
    expect(decide(answer(200), 1, policy)).toEqual({ kind: 'delivered' });
    expect(decide(answer(202), 1, policy)).toEqual({ kind: 'delivered' });
    expect(decide(answer(299), 1, policy)).toEqual({ kind: 'delivered' });
  });

  it('a 429 is retried as rate-limited (the token then waits); a 5xx is retried but not as rate-limited', () => {
    // Guards against losing the rate-limited flag (the whole token must pause) or giving it to a 5xx.
    expect(decide(answer(429, '{"error_code":3002,"error_message":"Too many requests"}'), 1, policy, top)).toMatchObject({ kind: 'retry', rateLimited: true, reason: '429: Too many requests' });
    expect(decide(answer(500), 1, policy, top)).toMatchObject({ kind: 'retry', rateLimited: false, reason: '500: HTTP 500' });
    expect(decide(answer(503), 1, policy, top)).toMatchObject({ kind: 'retry', rateLimited: false });
  });

  it('any other answer fails at once with Postscript’s message, never retried', () => {
    // Guards against retrying a 4xx (a refused key would be tried again and again) or a 3xx.
    expect(decide(answer(400, '{"errors":[{"msg":"phone is invalid"}]}'), 1, policy)).toEqual({ kind: 'failed', reason: 'Postscript answered 400: phone is invalid' });
    expect(decide(answer(401, '{"error":"Unauthorized"}'), 1, policy)).toEqual({ kind: 'failed', reason: 'Postscript answered 401: Unauthorized' });
    expect(decide(answer(404), 1, policy)).toEqual({ kind: 'failed', reason: 'Postscript answered 404: HTTP 404' });
    expect(decide(answer(302), 1, policy).kind).toBe('failed');
    expect(decide(answer(199), 1, policy).kind).toBe('failed');
    expect(decide(answer(300), 1, policy).kind).toBe('failed'); // 2xx ends at 299
  });

  it('gives up on the last allowed attempt and says how many and the last answer', () => {
    // Guards against an off-by-one in the attempt limit (one extra text, or one fewer try).
    expect(decide(answer(500), 3, policy).kind).toBe('retry');
    expect(decide(answer(500), 4, policy)).toEqual({ kind: 'failed', reason: 'Postscript kept answering 500 (a server error) after 4 tries; last answer: HTTP 500' });
    // A 429 that ends the send says the key kept being rate-limited (the batch card's reason), not "a server error".
    expect(decide(answer(429), 4, policy)).toEqual({ kind: 'failed', reason: 'Postscript kept rate-limiting this key (429) after 4 tries; last answer: HTTP 429' });
    expect(decide(answer(429), 5, policy).kind).toBe('failed');
  });

  it('a connection that never opened is offline (waits, uses no attempt); sent without an answer is uncertain, never retried', () => {
    // Guards against retrying a request that may have reached Postscript: it does not deduplicate.
    expect(decide(noAnswer(false), 1, policy)).toEqual({ kind: 'offline', reason: 'connect ECONNREFUSED' });
    const u = decide(noAnswer(true, 'The connection was reset.'), 1, policy);
    expect(u.kind).toBe('uncertain');
    expect(u).toMatchObject({ reason: expect.stringMatching(/^The connection was reset\. Postscript may or may not have received it; resend by hand/) });
    // Even on the last attempt it is not "failed": the event may be there.
    expect(decide(noAnswer(true), policy.maxAttempts, policy).kind).toBe('uncertain');
  });

  it('backs off exponentially with full jitter, capped', () => {
    // Guards against a wrong exponent, a missing cap or no jitter (every client retrying at once).
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, top))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(1, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(0, policy, top)).toBe(99); // never below one step
    const retry = decide(answer(500), 2, policy, () => 0.5);
    expect(retry).toMatchObject({ kind: 'retry', delayMs: 100 });
  });

  it('the defaults: six attempts, from half a second up to thirty', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 });
  });

  it('the log names an attempt as the send ended: a 429 tried again is rate limited, the 429 that ends it failed', () => {
    const at = (status: number, attempt: number) => attemptOutcome(decide(answer(status), attempt, policy), status);
    expect(at(429, 1)).toBe('rate_limited');
    expect(at(503, 1)).toBe('failed'); // a 5xx tried again is a failed attempt (with will-retry), never "rate limited"
    expect(at(429, 4)).toBe('failed');
    expect(at(500, 4)).toBe('failed');
    expect(at(404, 1)).toBe('failed');
    expect(at(202, 1)).toBe('delivered');
    expect(attemptOutcome(decide(noAnswer(true), 1, policy), null)).toBe('uncertain');
  });
});
