/**
 * Whether a store needs attention (the stores list's badge, the "Needs attention" count, the red
 * alert), derived from what Postscript last said about it (`db/postscriptEvidence.ts`) whichever
 * path asked: the health watch, "Check health", "Re-check with Postscript", the automatic check
 * of a store saved offline, key rotation. A newer answer replaces an older one, so a refused key
 * that was replaced stops counting the moment the new key is accepted.
 */
import type { HealthStatus, WatchSettings } from '../../src-shared/ipc/contract';
import { isActiveStore, isWatchedStore } from '../../src-shared/rules/activeStores';
import { isShopKeyword } from '../../src-shared/rules/keyword';
import type { StoreEvidence } from '../db/postscriptEvidence';
import type { Repository, StoreRow } from '../db/store';

export const DEFAULT_WATCH: WatchSettings = { enabled: true, intervalMinutes: 24 * 60, successWithinDays: 7 };
export const WATCH_SETTINGS_KEY = 'health.watch.settings';

export function watchSettingsOf(repo: Pick<Repository, 'getState'>): WatchSettings {
  return { ...DEFAULT_WATCH, ...(repo.getState<Partial<WatchSettings>>(WATCH_SETTINGS_KEY) ?? {}) };
}

export interface Attention {
  status: HealthStatus;
  checkedAt: string;
  problems: string[];
}

/** `key ending a1b2`, from the mask: no prefix and no body of any key. */
export function keyHint(mask: string | null): string | null {
  if (mask === null) return null;
  const tail = mask.slice(-4);
  return /^[A-Za-z0-9]{4}$/.test(tail) ? `key ending ${tail}` : 'key (masked)';
}

export interface AttentionInput {
  store: Pick<StoreRow, 'keyMask' | 'keyword' | 'testPhone' | 'setupStep' | 'archivedAt'>;
  evidence: StoreEvidence;
  /** When the health watch last judged the store (null: never). */
  watchedAt: string | null;
  lastSuccessAt: string | null;
  successWithinDays: number;
  now: number;
}

/**
 * The store's health now; null when nothing has been learnt about it from Postscript yet (it is
 * then "not checked yet", never green) or when it is archived (not in the list).
 */
export function attentionOf(a: AttentionInput): Attention | null {
  const { store, evidence: ev } = a;
  if (!isActiveStore(store)) return null;
  const times = [ev.key?.at, ev.keywords?.at, ev.testUser?.at, a.watchedAt].filter((t): t is string => typeof t === 'string');
  if (times.length === 0) return null;
  const red: string[] = [];
  const amber: string[] = [];
  const key = ev.key !== null && ev.key.value.keyMask === store.keyMask ? ev.key.value : null;
  if (key !== null && !key.accepted) {
    red.push(`Postscript refuses the API key (${keyHint(store.keyMask) ?? 'no key'})${key.message === null ? '.' : `: ${key.message}`}`);
  }
  const user = ev.testUser !== null && ev.testUser.value.phone === store.testPhone ? ev.testUser.value : null;
  if (user !== null && user.status !== 'ok') {
    red.push(user.status === 'not_found' ? `The Test Event User ${user.phone} is not a Postscript subscriber.` : `The Test Event User ${user.phone} is not opted in to transactional texts.`);
  }
  if (store.keyword !== null && ev.keywords !== null && !isShopKeyword(store.keyword, ev.keywords.value.keywords)) {
    amber.push(`The keyword ${store.keyword} is not one of the shop’s Postscript keywords.`);
  }
  // What the watch judges beyond Postscript's answers, for stores it has judged: a finished setup
  // with a Test Event User and an event delivered lately.
  if (a.watchedAt !== null && isWatchedStore(store)) {
    if (store.testPhone === null) amber.push('No Test Event User is set.');
    if (a.lastSuccessAt === null || a.now - Date.parse(a.lastSuccessAt) > a.successWithinDays * 86_400_000) {
      amber.push(`No event delivered to Postscript in the last ${a.successWithinDays} day${a.successWithinDays === 1 ? '' : 's'} (last: ${a.lastSuccessAt === null ? 'none yet' : `${a.lastSuccessAt.slice(0, 19).replace('T', ' ')} UTC`}).`);
    }
  }
  const checkedAt = times.sort().at(-1)!;
  return { status: red.length > 0 ? 'red' : amber.length > 0 ? 'amber' : 'green', checkedAt, problems: [...red, ...amber] };
}
