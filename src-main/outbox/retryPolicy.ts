/**
 * What to do after one attempt. Pure: the dispatcher does the I/O, this decides.
 *  - 2xx: delivered.
 *  - 429 (error 3002) and 5xx: retry with exponential backoff and full jitter, capped, up to
 *    `maxAttempts`; then failed.
 *  - the connection never opened: nothing was sent; the endpoint is offline, the item waits
 *    without using up an attempt.
 *  - sent but no answer (timeout, reset): uncertain. Never retried by itself: Postscript does not
 *    deduplicate external_id, so a blind retry could text a real phone twice.
 *  - any other answer (400, 401, 403, 404...): failed at once with Postscript's message.
 */
import type { DeliveryOutcome } from '../../src-shared/ipc/contract';
import type { Exchange } from '../postscript/client';
import { parseErrorBody } from '../postscript/client';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

export type Decision =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number; reason: string; rateLimited: boolean }
  | { kind: 'offline'; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'uncertain'; reason: string };

/** Full jitter: a uniform delay between 0 and the capped exponential step. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export function decide(ex: Exchange, attempt: number, policy: RetryPolicy, random: () => number = Math.random): Decision {
  if (ex.failure !== null) {
    if (!ex.failure.sent) return { kind: 'offline', reason: ex.failure.message };
    return {
      kind: 'uncertain',
      reason: `${ex.failure.message} Postscript may or may not have received it; resend by hand if the event is missing.`,
    };
  }
  const { status, body } = ex.response!;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const parsed = parseErrorBody(body);
  const message = parsed.message ?? `HTTP ${status}`;
  const retryable = status === 429 || status >= 500;
  if (!retryable) return { kind: 'failed', reason: `Postscript answered ${status}: ${message}` };
  if (attempt >= policy.maxAttempts) {
    // In words the batch card shows as its failed sends' reason (handlers/batches.ts).
    const why = status === 429 ? 'Postscript kept rate-limiting this key (429)' : `Postscript kept answering ${status} (a server error)`;
    return { kind: 'failed', reason: `${why} after ${attempt} tries; last answer: ${message}` };
  }
  return { kind: 'retry', delayMs: backoffDelay(attempt, policy, random), reason: `${status}: ${message}`, rateLimited: status === 429 };
}

/**
 * The delivery log's outcome for one attempt. One rule, so the log's "failed" filter finds the
 * attempts the batch card counts as failed: "rate limited" is a 429 that is tried again; the 429
 * that ends a send (retries used up) is "failed", like any other answer that ends it.
 */
export function attemptOutcome(decision: Decision, status: number | null): DeliveryOutcome {
  if (decision.kind === 'delivered' || decision.kind === 'uncertain' || decision.kind === 'failed') return decision.kind;
  return status === 429 ? 'rate_limited' : 'failed';
}
