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
import { baseUrlFor, clientForStore } from '../postscript/accounts';
import { PostscriptError, type PostscriptClient } from '../postscript/client';
import { checkTestUser } from '../postscript/testUser';
import type { Learnt } from '../postscript/evidence';

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

async function readRemote(client: PostscriptClient): Promise<Pick<Learnt, 'keywords' | 'webhooks'>> {
  const keywords = (await ask(() => client.keywords())).map((k) => k.keyword);
  const hooks = await ask(() => client.listWebhooks());
  const callbackUrls = hooks.filter((h) => h.event === 'shop.incoming_message').map((h) => h.callback_url);
  return { keywords: { keywords }, webhooks: { callbackUrls } };
}

/**
 * Checks one store. `full` also reads keywords and webhooks (the Readiness panel's re-check);
 * the watch reads only what it judges, to spend as little of the store's rate budget as it can.
 */
export async function probeStore(ctx: ReadinessDeps, storeId: string, options: { full: boolean; source: 'health_watch' | 'recheck' }): Promise<ProbeResult> {
  const store = ctx.repo.getStore(storeId);
  if (store === undefined) throw new AppError('not_found', 'This store no longer exists.');
  const endpoint = baseUrlFor(ctx, store.account);
  const learnt: Learnt = {};
  try {
    let client: PostscriptClient;
    try {
      client = clientForStore(ctx, storeId);
    } catch (err) {
      // The key cannot be read on this machine: a fact about the app, not about Postscript.
      return { kind: 'checked', status: 'amber', problems: [err instanceof Error ? err.message : String(err)] };
    }
    try {
      const me = await ask(() => client.me());
      learnt.key = { accepted: true, keyMask: store.keyMask, shopName: me.resource_name, message: null };
      if (store.postscriptShopId === null) learnt.shopId = me.resource_id;
    } catch (err) {
      if (!(err instanceof PostscriptError && (err.status === 401 || err.status === 403))) throw err;
      // Every other call would be refused the same way: stop here.
      ctx.said.record(storeId, options.source, { key: { accepted: false, keyMask: store.keyMask, shopName: store.postscriptShopName, message: err.message } });
      return judged(ctx, storeId);
    }
    if (store.testPhone !== null) {
      const user = await ask(() => checkTestUser(client, store.testPhone!, store.keyword));
      if (user.status !== 'unchecked') learnt.testUser = { phone: user.e164, status: user.status, subscriberId: user.subscriberId };
    }
    if (options.full) Object.assign(learnt, await readRemote(client));
  } catch (err) {
    // What was learnt before Postscript stopped answering still holds.
    if (learnt.key !== undefined) ctx.said.record(storeId, options.source, learnt);
    if (err instanceof Offline) return { kind: 'offline', endpoint, reason: err.message };
    if (err instanceof NotNow) return { kind: 'skipped', reason: err.message };
    if (err instanceof PostscriptError) return { kind: 'skipped', reason: `Postscript answered ${err.status ?? ''} ${err.message}`.trim() };
    throw err;
  }
  ctx.said.record(storeId, options.source, learnt);
  return judged(ctx, storeId);
}

/** The store's health as the watch records it: what the evidence says now, judged as of now. */
function judged(ctx: ReadinessDeps, storeId: string): ProbeResult {
  const a = ctx.said.attention(storeId, { watchedAt: new Date().toISOString() });
  return { kind: 'checked', status: a?.status ?? 'green', problems: a?.problems ?? [] };
}
