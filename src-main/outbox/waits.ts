/**
 * Why waiting sends wait, in the agent's words: what the outbox knows, gathered in one place for
 * the outbox banner and each batch's card. Under a rate-limit storm a batch read "0 of 9 done ·
 * 9 queued" and the banner "Sending… 9 waiting", and an agent took it for stuck.
 *
 * The reasons, most pressing first: sending held by the app itself (a full disk, a read-only data
 * directory, a damaged database, the start-up check, a restore), the batch paused, Postscript out
 * of reach, then Postscript's own answers (429, 5xx) with the next try the retry policy set.
 */
import type { WaitKind, WaitReason } from '../../src-shared/ipc/contract';

/** A retry the dispatcher set up after Postscript's answer: the newest per batch (null: sends outside a batch). */
interface RetryWait {
  status: number;
  nextTryMs: number;
}

const MAX_TRACKED = 1000;

/**
 * When the outbox next tries one of a batch's queued sends: per store, its earliest item due, but
 * not before the store's key may send again (a 429 blocks the key for a window); the soonest
 * store. It moves later only once a try is made, so the countdown never jumps between items.
 */
export function soonestTry(due: ReadonlyArray<{ storeId: string; atMs: number }>, keyFreeAt: (storeId: string) => number | null): number | null {
  let soonest: number | null = null;
  for (const { storeId, atMs } of due) {
    const at = Math.max(atMs, keyFreeAt(storeId) ?? atMs);
    if (soonest === null || at < soonest) soonest = at;
  }
  return soonest;
}

/** The dispatcher's memory of why a batch's sends are being retried; cleared when one of them ends. */
export class RetryWaits {
  private readonly byBatch = new Map<string | null, RetryWait>();

  /** `nextTry`: when the outbox next tries one of the batch's queued sends (null: none queued). */
  constructor(private readonly nextTry: (batchId: string) => number | null = () => null) {}

  /** The last answer's status with the batch's real next try, not the time set for that one item. */
  private withNextTry(batchId: string | null, w: RetryWait): RetryWait {
    return batchId === null ? w : { status: w.status, nextTryMs: this.nextTry(batchId) ?? w.nextTryMs };
  }

  /** Postscript answered `status` (429, 5xx) and the item is tried again at `nextTryMs`. */
  retrying(batchId: string | null, status: number, nextTryMs: number): void {
    this.byBatch.delete(batchId); // re-inserted: newest last, so the oldest go first past the cap
    this.byBatch.set(batchId, { status, nextTryMs });
    if (this.byBatch.size > MAX_TRACKED) this.byBatch.delete(this.byBatch.keys().next().value!);
  }

  /** A send of the batch ended (delivered, failed, uncertain): it is moving again. */
  ended(batchId: string | null): void {
    this.byBatch.delete(batchId);
  }

  forBatch(batchId: string): RetryWait | null {
    const w = this.byBatch.get(batchId);
    return w === undefined ? null : this.withNextTry(batchId, w);
  }

  /** For the banner: the newest answer's status, and the soonest next try of any retried send. */
  latest(): RetryWait | null {
    let last: RetryWait | null = null;
    let soonest = Infinity;
    for (const [batchId, w] of this.byBatch) {
      last = w;
      soonest = Math.min(soonest, this.withNextTry(batchId, w).nextTryMs);
    }
    return last === null ? null : { status: last.status, nextTryMs: soonest };
  }
}

/** What holds all sending, as StorageHealth says it (storage/health.ts: held()). */
export type HeldKind = Extract<WaitKind, 'disk_full' | 'cannot_write' | 'damaged' | 'checking' | 'restoring'>;

const HELD_TEXT: Record<HeldKind, string> = {
  disk_full: 'Paused: the disk is full. Sending resumes by itself once space is freed',
  cannot_write: 'Paused: the app cannot write to its data directory. Sending resumes by itself once it can',
  damaged: 'Stopped: the database is damaged. Restore a backup on Data health',
  checking: 'Waiting for the start-up check of the database',
  restoring: 'Paused while a backup is restored',
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function heldReason(kind: HeldKind | null): WaitReason | null {
  return kind === null ? null : { kind, text: HELD_TEXT[kind], nextTryAt: null };
}

export function retryReason(w: RetryWait): WaitReason {
  return w.status === 429
    ? { kind: 'rate_limited', text: 'Postscript is rate-limiting this key (429)', nextTryAt: iso(w.nextTryMs) }
    : { kind: 'server_error', text: `Postscript answered ${w.status} (a server error)`, nextTryAt: iso(w.nextTryMs) };
}

export function offlineReason(o: { reason: string; nextTryMs: number | null }): WaitReason {
  return { kind: 'offline', text: `Offline: Postscript cannot be reached (${o.reason.replace(/\.$/, '')})`, nextTryAt: iso(o.nextTryMs) };
}

export const PAUSED_REASON: WaitReason = { kind: 'paused', text: 'Paused: press Resume to send the rest', nextTryAt: null };

export interface WaitSources {
  held: HeldKind | null;
  offline: ReadonlyArray<{ reason: string; nextTryMs: number | null }>;
  retry: RetryWait | null;
}

/** Every reason that applies, the most pressing first. */
export function waitReasons(src: WaitSources, batchPaused = false): WaitReason[] {
  const out: WaitReason[] = [];
  const held = heldReason(src.held);
  if (held !== null) out.push(held);
  if (batchPaused) out.push(PAUSED_REASON);
  for (const o of src.offline) out.push(offlineReason(o));
  if (src.retry !== null) out.push(retryReason(src.retry));
  return out;
}
