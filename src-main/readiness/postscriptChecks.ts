/**
 * The readiness checks that only Postscript can answer: the key, the Test Event User, the keyword
 * trigger, the SKIP word against the shop's keywords, the webhook subscriptions. Each reads what
 * Postscript last said (`db/postscriptEvidence.ts`), with the time it said it and which path asked;
 * when it was never asked, the check is "not checked yet", never a pass.
 */
import type { Account, CheckStatus, ReadinessCheck } from '../../src-shared/ipc/contract';
import { AnswererOf } from '../../src-shared/rules/accountName';
import { isShopKeyword } from '../../src-shared/rules/keyword';
import { skipWordConflicts } from '../../src-shared/rules/skipWord';
import type { EvidenceSource, Said, StoreEvidence } from '../db/postscriptEvidence';
import type { StoreRow } from '../db/store';
import type { RegistrationRow as WebhookRegistration } from '../db/webhooks';
import { keyHint } from '../postscript/attention';
import type { ListenerMoved } from '../webhooks/listenerMove';

/** A key checked longer ago than this is worth checking again before it is handed over as proof. */
const STALE_KEY_DAYS = 7;

/** `2026-12-07 10:00:00 UTC`, or `not yet` for a time never reached. */
export function when(iso: string | null): string {
  if (iso === null) return 'not yet';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const ASKED_BY: Record<EvidenceSource, string> = {
  setup: 'set-up',
  deferred_check: 'the automatic check once Postscript was reachable',
  check_health: 'Check health',
  health_watch: 'the health watch',
  recheck: 'Re-check with Postscript',
  key_rotation: 'the key rotation',
  skip_setup: 'the SKIP tester’s set-up',
  earlier: 'an earlier check',
};

/** `Postscript answered 2026-12-07 10:00:00 UTC (asked by Check health)`: where a piece of evidence came from. */
export function provenance(said: Said<unknown>, account: Account): string {
  return `${AnswererOf(account)} answered ${when(said.at)} (asked by ${ASKED_BY[said.source]})`;
}

export function check(id: string, title: string, status: CheckStatus, evidence: string, at: string | null, action: string | null, details: ReadinessCheck['details'] = []): ReadinessCheck {
  return { id, title, status, evidence, at, action: status === 'pass' || status === 'na' || status === 'noted' ? null : action, details };
}

const RECHECK = 'Press Re-check with Postscript on the store’s page (a store saved while Postscript was out of reach is checked by itself once it is reachable).';

export function keyCheck(store: StoreRow, ev: StoreEvidence): ReadinessCheck {
  const title = 'API key valid';
  const hint = keyHint(store.keyMask) ?? 'no key';
  if (store.keyMask === null) return check('key', title, 'fail', 'The store has no API key.', null, 'Add a new private key made for Skio (Rotate key).');
  const said = ev.key !== null && ev.key.value.keyMask === store.keyMask ? ev.key : null;
  if (said === null) {
    const why = store.keyStatus === 'unchecked' ? ' It was saved while Postscript was out of reach.' : '';
    return check('key', title, 'unchecked', `Postscript has not been asked about the ${hint} yet.${why}`, null, RECHECK);
  }
  if (!said.value.accepted) {
    const fix = store.account === 'sandbox' ? 'Press Make a new key and use it, below.' : 'Create a new private key in Postscript → Settings → API and use Rotate key.';
    return check('key', title, 'fail', `${AnswererOf(store.account)} refused the ${hint}${said.value.message === null ? '' : ` (“${said.value.message}”)`}. ${provenance(said, store.account)}.`, said.at, fix);
  }
  const stale = Date.now() - Date.parse(said.at) > STALE_KEY_DAYS * 86_400_000;
  return check(
    'key',
    title,
    stale ? 'warn' : 'pass',
    `${AnswererOf(store.account)} accepted the ${hint} (GET /api/v2/me, shop ${said.value.shopName ?? store.postscriptShopName ?? 'unknown'}). ${provenance(said, store.account)}.`,
    said.at,
    `Checked more than ${STALE_KEY_DAYS} days ago: press Re-check with Postscript.`,
  );
}

export function testUserCheck(store: StoreRow, ev: StoreEvidence): ReadinessCheck {
  const title = 'Test Event User can receive transactional texts';
  if (store.testPhone === null) return check('test_user', title, 'fail', 'No Test Event User is set.', null, 'Set the Test Event User (setup step 3).');
  const said = ev.testUser !== null && ev.testUser.value.phone === store.testPhone ? ev.testUser : null;
  if (said === null) {
    const why = store.testUserStatus === 'unchecked' ? ' It was saved while Postscript was out of reach.' : '';
    return check('test_user', title, 'unchecked', `${store.testPhone} has not been looked up in Postscript yet.${why}`, null, RECHECK);
  }
  const { status, subscriberId } = said.value;
  if (status === 'ok') return check('test_user', title, 'pass', `${store.testPhone} is ${store.account === 'sandbox' ? 'Sandbox' : 'Postscript'} subscriber ${subscriberId ?? '?'} with transactional opt-in. ${provenance(said, store.account)}.`, said.at, null);
  if (status === 'no_transactional') {
    return check('test_user', title, 'warn', `${store.testPhone} is a subscriber but has no transactional opt-in. ${provenance(said, store.account)}.`, said.at, 'Use a subscriber who opted in to transactional texts, or have this one opt in, then re-check.');
  }
  return check('test_user', title, 'fail', `${store.testPhone} is not a ${store.account === 'sandbox' ? 'Sandbox' : 'Postscript'} subscriber. ${provenance(said, store.account)}.`, said.at, 'Have the person text the store’s keyword to its Postscript number, then check the Test Event User again.');
}

export function keywordCheck(store: StoreRow, ev: StoreEvidence): ReadinessCheck {
  const title = 'Keyword trigger exists';
  if (store.keyword === null) {
    return check('keyword', title, 'fail', 'No keyword trigger is set for this store yet: it was left to set later.', null, 'Press Set keyword in the store’s header (or the “2 Keyword and key” step) and choose one of its Postscript keywords.');
  }
  const said = ev.keywords;
  if (said === null) {
    return check('keyword', title, 'unchecked', `${store.keyword} has not been compared with the shop’s Postscript keywords yet: Postscript’s keyword list has not been read for this store.`, null, RECHECK);
  }
  const list = said.value.keywords;
  const found = isShopKeyword(store.keyword, list);
  return found
    ? check('keyword', title, 'pass', `${store.keyword} is one of the shop’s Postscript keywords (${list.join(', ')}). ${provenance(said, store.account)}.`, said.at, null)
    : check(
        'keyword',
        title,
        'fail',
        `${store.keyword} is not one of the shop’s Postscript keywords (it has: ${list.join(', ') || 'none'}). ${provenance(said, store.account)}.`,
        said.at,
        'Create the keyword in Postscript, or press Change keyword in the store’s header and choose one the shop has.',
      );
}

export function skipWordCheck(store: StoreRow, ev: StoreEvidence): ReadinessCheck {
  const title = 'SKIP word is not also a Postscript keyword';
  const said = ev.keywords;
  if (said === null) {
    return check('skip_word', title, 'unchecked', `The SKIP word ${store.skipWord} has not been compared with the shop’s Postscript keywords yet.`, null, RECHECK);
  }
  const list = said.value.keywords;
  return skipWordConflicts(store.skipWord, list)
    ? check('skip_word', title, 'fail', `${store.skipWord} is also a Postscript keyword: replies may go to the keyword flow instead of reaching Skio. ${provenance(said, store.account)}.`, said.at, 'Choose another SKIP word in the SKIP tester, or remove the keyword in Postscript.')
    : check('skip_word', title, 'pass', `${store.skipWord} is not one of the shop’s keywords (${list.join(', ') || 'none'}). ${provenance(said, store.account)}.`, said.at, null);
}

export function webhookCheck(store: StoreRow, ev: StoreEvidence, regs: WebhookRegistration[], moved: ListenerMoved | null): ReadinessCheck {
  const title = 'Live webhook registration';
  const list = regs.map((r) => `${r.callbackUrl} (since ${when(r.createdAt)})`).join('; ');
  if (moved !== null) {
    const fix = store.account === 'sandbox' ? 'Run “Set up” in the SKIP tester.' : `Point the tunnel at ${moved.to}, then register the webhook again in the SKIP tester (or remove it).`;
    return check('webhooks', title, 'warn', `The webhook listener moved from ${moved.from} to ${moved.to} (${when(moved.at)}); this store’s webhooks still point at the old address: ${list}.`, moved.at, fix);
  }
  if (store.account === 'sandbox') {
    // A Sandbox store has no live shop whose webhooks could be left behind: with nothing registered there is nothing to check.
    if (regs.length === 0) return check('webhooks', title, 'na', 'Sandbox store: there is no live Postscript account whose webhooks could be checked.', null, null);
    // The Sandbox runs in this app: its registrations are read here, now.
    return check('webhooks', title, 'pass', `Sandbox store: ${list}. Nothing reaches a live shop.`, new Date().toISOString(), null);
  }
  const said = ev.webhooks;
  if (regs.length > 0) {
    // A tunnel registered for testing stays in Postscript until removed, and gets every reply.
    const at = said?.at ?? regs.map((r) => r.createdAt).sort().at(-1) ?? null;
    return check('webhooks', title, 'warn', `Still registered: ${list}.`, at, 'When SKIP testing is over, remove the registration in the SKIP tester (Remove).');
  }
  if (said === null) {
    return check('webhooks', title, 'unchecked', 'Postscript has not been asked which webhooks it holds for this shop yet.', null, RECHECK);
  }
  const held = said.value.callbackUrls;
  return check(
    'webhooks',
    title,
    'pass',
    `No test registration of this app remains in Postscript (${held.length === 0 ? 'it holds no incoming-message webhook' : `its incoming-message webhooks: ${held.join(', ')}`}). ${provenance(said, store.account)}.`,
    said.at,
    null,
  );
}
