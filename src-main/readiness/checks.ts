/**
 * Readiness checks: everything the app knows that proves a store's integration works, each as
 * pass / warn / fail with its evidence, the time of that evidence, and what to do. Computed from
 * the database only (one consistent snapshot); `recheck.ts` refreshes what comes from Postscript.
 * Nothing here may carry a secret: the key appears as its last four characters, nothing more.
 */
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { CheckStatus, ReadinessCheck, StoreReadiness } from '../../src-shared/ipc/contract';
import { requireStore } from '../db/lookups';
import type { ReadinessDeps } from './deps';
import { listenerMovedOf } from '../webhooks/listenerMove';
import type { HealthRow } from '../db/storeHealth';
import type { StoreRow, TriggerRow } from '../db/store';

/** A key checked longer ago than this is worth checking again before it is handed over as proof. */
const STALE_KEY_DAYS = 7;

/** Stored by `recheck.ts`: what Postscript said at the last re-check. */
export interface RemoteKeywords {
  keywords: string[];
  checkedAt: string;
}
export interface RemoteWebhooks {
  /** Subscriptions to shop.incoming_message that Postscript still has. */
  callbackUrls: string[];
  checkedAt: string;
}
export const keywordsStateKey = (storeId: string): string => `readiness.keywords.${storeId}`;
export const webhooksStateKey = (storeId: string): string => `readiness.webhooks.${storeId}`;
const conflictStateKey = (storeId: string): string => `skip.keywordConflict.${storeId}`;

/** `key ending a1b2`, from the mask: the report shows no prefix and no body of any key. */
export function keyHint(mask: string | null): string | null {
  if (mask === null) return null;
  const tail = mask.slice(-4);
  return /^[A-Za-z0-9]{4}$/.test(tail) ? `key ending ${tail}` : 'key (masked)';
}

export function when(iso: string | null): string {
  if (iso === null) return 'never';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function check(id: string, title: string, status: CheckStatus, evidence: string, at: string | null, action: string | null, details: ReadinessCheck['details'] = []): ReadinessCheck {
  return { id, title, status, evidence, at, action: status === 'pass' ? null : action, details };
}

function keyCheck(store: StoreRow): ReadinessCheck {
  const hint = keyHint(store.keyMask) ?? 'no key';
  if (store.keyMask === null) return check('key', 'API key valid', 'fail', 'The store has no API key.', null, 'Add a new private key made for Skio (Rotate key).');
  if (store.keyStatus === 'invalid') {
    const fix = store.account === 'sandbox' ? 'Press Make a new key and use it, below.' : 'Create a new private key in Postscript → Settings → API and use Rotate key.';
    return check('key', 'API key valid', 'fail', `Postscript refused the ${hint} when it was last checked.`, store.keyCheckedAt, fix);
  }
  const checkedAt = store.keyCheckedAt ?? store.keyValidatedAt;
  const stale = checkedAt === null || Date.now() - Date.parse(checkedAt) > STALE_KEY_DAYS * 86_400_000;
  return check(
    'key',
    'API key valid',
    stale ? 'warn' : 'pass',
    `Postscript accepted the ${hint} (GET /api/v2/me, shop ${store.postscriptShopName ?? 'unknown'}); last checked ${when(checkedAt)}.`,
    checkedAt,
    `Last checked more than ${STALE_KEY_DAYS} days ago: press Re-check with Postscript.`,
  );
}

function testUserCheck(store: StoreRow): ReadinessCheck {
  const title = 'Test Event User can receive transactional texts';
  if (store.testPhone === null) return check('test_user', title, 'fail', 'No Test Event User is set.', null, 'Set the Test Event User (setup step 3).');
  const at = store.testUserCheckedAt;
  if (store.testUserStatus === 'ok') {
    return check('test_user', title, 'pass', `${store.testPhone} is Postscript subscriber ${store.testSubscriberId ?? '?'} with transactional opt-in; checked ${when(at)}.`, at, null);
  }
  if (store.testUserStatus === 'no_transactional') {
    return check('test_user', title, 'warn', `${store.testPhone} is a subscriber but has no transactional opt-in; checked ${when(at)}.`, at, 'Use a subscriber who opted in to transactional texts, or have this one opt in, then re-check.');
  }
  const what = store.testUserStatus === 'not_found' ? 'is not a Postscript subscriber' : 'has not been looked up in Postscript';
  return check('test_user', title, 'fail', `${store.testPhone} ${what}.`, at, 'Have the person text the store’s keyword to its Postscript number, then check the Test Event User again.');
}

function eventChecks(ctx: ReadinessDeps, store: StoreRow, triggers: TriggerRow[]): ReadinessCheck[] {
  const enabled = triggers.filter((t) => t.enabled);
  if (enabled.length === 0) {
    return [check('events', 'Events turned on', 'fail', 'No Skio event is turned on for this store.', null, 'Turn on the events the merchant wants in Postscript flows (setup step 4).')];
  }
  const proofs = new Map(ctx.storeHealth.deliveredProofs(store.id).map((p) => [p.eventKey, p]));
  const last = new Map(ctx.storeHealth.lastAttempts(store.id).map((a) => [a.eventKey, a]));
  return enabled.map((t) => {
    const event = findSkioEvent(t.eventKey);
    const name = event?.name ?? t.eventKey;
    const type = event?.postscriptType ?? t.eventKey;
    const title = `${name} delivered to Postscript`;
    const proof = proofs.get(t.eventKey);
    const attempt = last.get(t.eventKey);
    if (proof === undefined) {
      const evidence =
        attempt === undefined
          ? `${type} has never been sent.`
          : `${type} was never accepted; last attempt ${when(attempt.startedAt)}: ${attempt.outcome}${attempt.responseStatus === null ? '' : ` (HTTP ${attempt.responseStatus})`}${attempt.errorMessage === null ? '' : `: ${attempt.errorMessage}`}.`;
      return check(`event:${t.eventKey}`, title, 'fail', evidence, attempt?.startedAt ?? null, 'Send a test of this event (setup step 5) and fix what Postscript answers.');
    }
    const at = proof.finishedAt ?? proof.startedAt;
    const laterFailure = attempt !== undefined && attempt.outcome !== 'delivered' && attempt.startedAt > proof.startedAt;
    return check(
      `event:${t.eventKey}`,
      title,
      laterFailure ? 'warn' : 'pass',
      `${type} accepted by Postscript ${when(at)} with HTTP ${proof.responseStatus ?? '?'}.${laterFailure ? ` A later attempt (${when(attempt.startedAt)}) was ${attempt.outcome}.` : ''}`,
      at,
      'The newest attempt did not go through: open it in the delivery log and send again.',
      [
        { label: 'Payload sent', text: proof.requestBody },
        { label: 'Postscript’s answer', text: proof.responseBody ?? '' },
      ],
    );
  });
}

function keywordCheck(ctx: ReadinessDeps, store: StoreRow): ReadinessCheck {
  const title = 'Keyword trigger exists';
  if (store.keyword === null) return check('keyword', title, 'fail', 'No keyword trigger is set for this store.', null, 'Press Set keyword in the store’s header (or the “2 Keyword and key” step) and choose one of its Postscript keywords.');
  const remote = ctx.repo.getState<RemoteKeywords>(keywordsStateKey(store.id));
  if (remote === null) {
    return check('keyword', title, 'pass', `${store.keyword} was found among the shop’s Postscript keywords when it was set.`, store.createdAt, null);
  }
  const found = remote.keywords.some((k) => k.toUpperCase() === store.keyword!.toUpperCase());
  return found
    ? check('keyword', title, 'pass', `${store.keyword} is one of the shop’s Postscript keywords (${remote.keywords.join(', ')}); checked ${when(remote.checkedAt)}.`, remote.checkedAt, null)
    : check('keyword', title, 'fail', `${store.keyword} is no longer a Postscript keyword of the shop (it has: ${remote.keywords.join(', ') || 'none'}); checked ${when(remote.checkedAt)}.`, remote.checkedAt, 'Create the keyword again in Postscript, or press Change keyword in the store’s header and choose one the shop has.');
}

function skipCheck(ctx: ReadinessDeps, store: StoreRow, triggers: TriggerRow[]): ReadinessCheck {
  const title = 'SKIP round trip passed';
  const skip = ctx.storeHealth.lastSkip(store.id);
  const how = store.account === 'sandbox' ? 'simulated through the Sandbox' : 'live, from Postscript';
  if (skip !== undefined) {
    return check('skip', title, 'pass', `${how} ${when(skip.receivedAt)}: “${skip.message ?? ''}” moved the next billing date from ${skip.beforeDate ?? '?'} to ${skip.afterDate ?? '?'}.`, skip.receivedAt, null);
  }
  // The billing reminder tells subscribers to reply SKIP: then SKIP must work before go-live.
  const reminderOn = triggers.some((t) => t.enabled && t.eventKey === 'billing_reminder');
  return check(
    'skip',
    title,
    reminderOn ? 'fail' : 'warn',
    `No SKIP has been received for this store yet${reminderOn ? ', and the billing reminder tells subscribers to reply SKIP' : ''}.`,
    null,
    store.account === 'sandbox' ? 'Open the SKIP tester, set it up and press Simulate SKIP.' : 'Open the SKIP tester, register the webhook through a tunnel and text SKIP from the test phone.',
  );
}

/** Checks read from the app's own settings have evidence as of now. */
const now = (): string => new Date().toISOString();

function skipWordCheck(ctx: ReadinessDeps, store: StoreRow): ReadinessCheck {
  const title = 'SKIP word is not also a Postscript keyword';
  const conflict = ctx.repo.getState<boolean>(conflictStateKey(store.id));
  const remote = ctx.repo.getState<RemoteKeywords>(keywordsStateKey(store.id));
  const known = remote !== null ? remote.keywords.some((k) => k.toUpperCase() === store.skipWord.toUpperCase()) : conflict;
  if (known === null) {
    return check('skip_word', title, 'warn', `The SKIP word ${store.skipWord} has not been compared with the shop’s keywords yet.`, null, 'Press Re-check with Postscript (or set up the SKIP tester).');
  }
  return known
    ? check('skip_word', title, 'fail', `${store.skipWord} is also a Postscript keyword: replies may go to the keyword flow instead of reaching Skio.`, remote?.checkedAt ?? now(), 'Choose another SKIP word in the SKIP tester, or remove the keyword in Postscript.')
    : check('skip_word', title, 'pass', `${store.skipWord} is not one of the shop’s keywords${remote === null ? '' : ` (${remote.keywords.join(', ')})`}.`, remote?.checkedAt ?? now(), null);
}

function skioSmsCheck(triggers: TriggerRow[]): ReadinessCheck {
  const title = 'No double texts with SkioSMS';
  const both = triggers.filter((t) => t.enabled && t.skioSmsAlso).map((t) => findSkioEvent(t.eventKey)?.name ?? t.eventKey);
  return both.length === 0
    ? check('skiosms', title, 'pass', 'No enabled event is also sent by SkioSMS.', now(), null)
    : check('skiosms', title, 'warn', `Also sent by SkioSMS: ${both.join(', ')}. Subscribers would get two texts.`, now(), 'Turn these off in SkioSMS, or turn them off here.');
}

function webhookCheck(ctx: ReadinessDeps, store: StoreRow): ReadinessCheck {
  const title = 'Live webhook registration';
  const regs = ctx.webhooks.registrations(store.id);
  const remote = ctx.repo.getState<RemoteWebhooks>(webhooksStateKey(store.id));
  const list = regs.map((r) => `${r.callbackUrl} (since ${when(r.createdAt)})`).join('; ');
  const moved = regs.length === 0 ? null : listenerMovedOf(ctx, store.id);
  if (moved !== null) {
    const fix = store.account === 'sandbox' ? 'Run “Set up” in the SKIP tester.' : `Point the tunnel at ${moved.to}, then register the webhook again in the SKIP tester (or remove it).`;
    return check('webhooks', title, 'warn', `The webhook listener moved from ${moved.from} to ${moved.to} (${when(moved.at)}); this store’s webhooks still point at the old address: ${list}.`, moved.at, fix);
  }
  if (store.account === 'sandbox') {
    return check('webhooks', title, 'pass', regs.length === 0 ? 'Sandbox store: no registration.' : `Sandbox store: ${list}. Nothing reaches a live shop.`, now(), null);
  }
  if (regs.length === 0) {
    return check('webhooks', title, 'pass', `No test registration of this app remains in Postscript${remote === null ? '' : ` (checked ${when(remote.checkedAt)})`}.`, remote?.checkedAt ?? now(), null);
  }
  // A tunnel registered for testing stays in Postscript until removed, and gets every reply.
  return check('webhooks', title, 'warn', `Still registered: ${list}.`, remote?.checkedAt ?? now(), 'When SKIP testing is over, remove the registration in the SKIP tester (Remove).');
}

export function overallOf(checks: ReadinessCheck[]): CheckStatus {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  return checks.some((c) => c.status === 'warn') ? 'warn' : 'pass';
}

export function toHealthRecord(h: HealthRow | undefined): StoreReadiness['health'] {
  return h === undefined ? null : { ...h };
}

/** The store's readiness, read in one snapshot; throws not_found when the store is gone. */
export function readinessOf(ctx: ReadinessDeps, storeId: string): StoreReadiness {
  return ctx.storeHealth.snapshot(() => {
    const store = requireStore(ctx, storeId);
    const triggers = ctx.repo.listTriggers(storeId);
    const checks = [
      keyCheck(store),
      testUserCheck(store),
      ...eventChecks(ctx, store, triggers),
      keywordCheck(ctx, store),
      skipCheck(ctx, store, triggers),
      skipWordCheck(ctx, store),
      skioSmsCheck(triggers),
      webhookCheck(ctx, store),
    ];
    return {
      storeId: store.id,
      storeName: store.name,
      shopDomain: store.shopDomain,
      account: store.account,
      postscriptShopName: store.postscriptShopName,
      keyHint: keyHint(store.keyMask),
      generatedAt: new Date().toISOString(),
      overall: overallOf(checks),
      checks,
      health: toHealthRecord(ctx.storeHealth.latest(storeId)),
    };
  });
}
