/**
 * One store checked with Postscript, as the health watch and the Readiness panel's re-check do it:
 * the key still valid, the Test Event User still opted in, a delivered event within N days; the
 * re-check also reads the shop's keywords and webhook subscriptions. Every call goes through the
 * store's client, so through the same per-token pacer as everything else. A Postscript that cannot
 * be reached says nothing about the store: the result says so, and nothing is marked red for it.
 */
import { AppError } from '../../src-shared/errors';
import type { HealthStatus } from '../../src-shared/ipc/contract';
import type { ReadinessDeps } from './deps';
import type { StoreRow } from '../db/store';
import { baseUrlFor, clientForStore } from '../postscript/accounts';
import { PostscriptError, type PostscriptClient } from '../postscript/client';
import { checkTestUser } from '../postscript/testUser';
import { keyHint, keywordsStateKey, webhooksStateKey, when, type RemoteKeywords, type RemoteWebhooks } from './checks';

export type ProbeResult =
  | { kind: 'checked'; status: HealthStatus; problems: string[] }
  /** Postscript could not be reached: wait for it, do not judge the store. */
  | { kind: 'offline'; endpoint: string; reason: string }
  /** Postscript answered, but not about the store (rate limit, 5xx): try again next time. */
  | { kind: 'skipped'; reason: string };

class Offline extends Error {}
class NotNow extends Error {}

/** Runs one Postscript call; turns failures that are not the store's fault into Offline / NotNow. */
async function ask<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PostscriptError && err.kind === 'network') throw new Offline(err.message);
    if (err instanceof PostscriptError && (err.status === 429 || (err.status !== null && err.status >= 500))) throw new NotNow(err.message);
    throw err;
  }
}

async function readRemote(ctx: ReadinessDeps, store: StoreRow, client: PostscriptClient): Promise<void> {
  const now = new Date().toISOString();
  const keywords = (await ask(() => client.keywords())).map((k) => k.keyword);
  ctx.repo.setState(keywordsStateKey(store.id), { keywords, checkedAt: now } satisfies RemoteKeywords);
  // The SKIP tester's own record of the conflict follows what Postscript says now.
  ctx.repo.setState(`skip.keywordConflict.${store.id}`, keywords.some((k) => k.toUpperCase() === store.skipWord.toUpperCase()));
  const hooks = await ask(() => client.listWebhooks());
  const callbackUrls = hooks.filter((h) => h.event === 'shop.incoming_message').map((h) => h.callback_url);
  ctx.repo.setState(webhooksStateKey(store.id), { callbackUrls, checkedAt: now } satisfies RemoteWebhooks);
}

/**
 * Checks one store. `full` also reads keywords and webhooks (the Readiness panel's re-check);
 * the watch reads only what it judges, to spend as little of the store's rate budget as it can.
 */
export async function probeStore(ctx: ReadinessDeps, storeId: string, options: { successWithinDays: number; full: boolean }): Promise<ProbeResult> {
  const store = ctx.repo.getStore(storeId);
  if (store === undefined) throw new AppError('not_found', 'This store no longer exists.');
  const endpoint = baseUrlFor(ctx, store.account);
  const problems: string[] = [];
  let red = false;
  try {
    let client: PostscriptClient;
    try {
      client = clientForStore(ctx, storeId);
    } catch (err) {
      // The key cannot be read on this machine: a fact about the app, not about Postscript.
      return { kind: 'checked', status: 'amber', problems: [err instanceof Error ? err.message : String(err)] };
    }
    try {
      await ask(() => client.me());
      ctx.repo.setCredentialStatus(storeId, 'valid');
    } catch (err) {
      if (!(err instanceof PostscriptError && (err.status === 401 || err.status === 403))) throw err;
      ctx.repo.setCredentialStatus(storeId, 'invalid');
      // Every other call would be refused the same way: stop here.
      return { kind: 'checked', status: 'red', problems: [`Postscript refuses the API key (${keyHint(store.keyMask) ?? 'no key'}): ${err.message}`] };
    }
    if (store.testPhone === null) {
      problems.push('No Test Event User is set.');
    } else {
      const user = await ask(() => checkTestUser(client, store.testPhone!, store.keyword));
      ctx.repo.setTestUser(storeId, user.e164, user.subscriberId, user.status);
      if (user.status !== 'ok') {
        red = true;
        problems.push(user.status === 'not_found' ? `The Test Event User ${user.e164} is no longer a Postscript subscriber.` : `The Test Event User ${user.e164} is no longer opted in to transactional texts.`);
      }
    }
    if (options.full) await readRemote(ctx, store, client);
  } catch (err) {
    if (err instanceof Offline) return { kind: 'offline', endpoint, reason: err.message };
    if (err instanceof NotNow) return { kind: 'skipped', reason: err.message };
    if (err instanceof PostscriptError) return { kind: 'skipped', reason: `Postscript answered ${err.status ?? ''} ${err.message}`.trim() };
    throw err;
  }
  const lastSuccess = ctx.storeHealth.lastSuccessAt(storeId);
  if (lastSuccess === null || Date.now() - Date.parse(lastSuccess) > options.successWithinDays * 86_400_000) {
    problems.push(`No event delivered to Postscript in the last ${options.successWithinDays} days (last: ${when(lastSuccess)}).`);
  }
  return { kind: 'checked', status: red ? 'red' : problems.length > 0 ? 'amber' : 'green', problems };
}
