/**
 * Readiness checks: everything the app knows that proves a store's integration works, each as
 * pass / warn / fail, or "not checked yet" when the evidence was never obtained, with the evidence,
 * its time and what to do. Computed from the database only (one consistent snapshot): what
 * Postscript last said (`postscriptChecks.ts`), the delivery log, SKIP and the store's settings.
 * Nothing here may carry a secret: the key appears as its last four characters, nothing more.
 */
import { findSkioEvent } from '../../src-shared/events/catalog';
import { answererOf, AnswererOf } from '../../src-shared/rules/accountName';
import type { CheckStatus, HealthRecord, ReadinessCheck, StoreReadiness } from '../../src-shared/ipc/contract';
import { requireStore } from '../db/lookups';
import type { ReadinessDeps } from './deps';
import { listenerMovedOf } from '../webhooks/listenerMove';
import type { HealthRow } from '../db/storeHealth';
import type { StoreRow, TriggerRow } from '../db/store';
import { check, keyCheck, keywordCheck, skipWordCheck, testUserCheck, webhookCheck, when } from './postscriptChecks';

import { keyHint, type Attention } from '../postscript/attention';

export { keyHint };
export { when } from './postscriptChecks';

/**
 * A failed attempt's outcome in words (after "was"): `rate-limited (429)`, `not accepted (HTTP 500)`,
 * never the log's raw name. Only attempts that did not go through are described here: a delivered
 * one is the event's proof.
 */
function outcomeWords(outcome: string, status: number | null): string {
  if (outcome === 'rate_limited' || status === 429) return 'rate-limited (429)';
  const http = status === null ? '' : ` (HTTP ${status})`;
  return outcome === 'uncertain' ? `sent with no answer, so it may or may not have arrived${http}` : `not accepted${http}`;
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
    // On a Sandbox store the Sandbox accepted it: the title says so, as the evidence does.
    const title = `${name} delivered to ${answererOf(store.account)}`;
    const proof = proofs.get(t.eventKey);
    const attempt = last.get(t.eventKey);
    if (proof === undefined && attempt === undefined) {
      // Nothing was sent, so Postscript has said nothing about this event yet.
      const evidence = t.pending > 0 ? `${type} is queued and has not been sent to Postscript yet.` : `${type} has never been sent.`;
      return check(`event:${t.eventKey}`, title, 'unchecked', evidence, null, 'Send a test of this event (setup step 5) and fix what Postscript answers.');
    }
    if (proof === undefined) {
      const a = attempt!;
      const evidence = `${type} was never accepted; last attempt ${when(a.startedAt)} was ${outcomeWords(a.outcome, a.responseStatus)}${a.errorMessage === null ? '' : `: ${a.errorMessage}`}.`;
      return check(`event:${t.eventKey}`, title, 'fail', evidence, a.startedAt, 'Send a test of this event (setup step 5) and fix what Postscript answers.');
    }
    const at = proof.finishedAt ?? proof.startedAt;
    // The newest attempt is the proof itself, or one that did not go through. Compared by when it
    // started, not by arrival: a teammate's older failure synced after the proof is not a later one.
    const laterFailure = attempt !== undefined && attempt.startedAt > proof.startedAt;
    return check(
      `event:${t.eventKey}`,
      title,
      laterFailure ? 'warn' : 'pass',
      `${type} accepted by ${answererOf(store.account)} ${when(at)} with HTTP ${proof.responseStatus ?? '?'}.${laterFailure ? ` A later attempt (${when(attempt.startedAt)}) was ${outcomeWords(attempt.outcome, attempt.responseStatus)}.` : ''}`,
      at,
      'The newest attempt did not go through: open it in the delivery log and send again.',
      [
        { label: 'Payload sent', text: proof.requestBody },
        { label: `${AnswererOf(store.account)}’s answer`, text: proof.responseBody ?? '' },
      ],
    );
  });
}

function skipCheck(ctx: ReadinessDeps, store: StoreRow, triggers: TriggerRow[]): ReadinessCheck {
  const title = 'SKIP round trip';
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

/** The newest answer among `rows`: who gave it (a teammate by name, from `answerers`; else this console's agent) and when. */
function newestAnswer(rows: TriggerRow[], answerers: Map<string, string>): { who: string; at: string | null } {
  let newest: TriggerRow | undefined;
  for (const t of rows) if (t.skioSmsNotedAt !== null && (newest === undefined || t.skioSmsNotedAt > newest.skioSmsNotedAt!)) newest = t;
  return { who: (newest === undefined ? undefined : answerers.get(newest.eventKey)) ?? 'The onboarding agent', at: newest?.skioSmsNotedAt ?? null };
}

/**
 * Whether SkioSMS also texts an event is the agent's answer in the app ("Also sent by SkioSMS"),
 * not something Postscript or SkioSMS told us: said as the agent's answer, with who gave it and
 * when, never as a pass. A box never touched is said as such. With no event turned on there is
 * nothing to double, so it does not apply.
 */
function skioSmsCheck(triggers: TriggerRow[], answerers: () => Map<string, string>): ReadinessCheck {
  const title = 'No double texts with SkioSMS';
  const enabled = triggers.filter((t) => t.enabled);
  if (enabled.length === 0) return check('skiosms', title, 'na', 'No event is turned on, so nothing can be texted twice.', null, null);
  const doubled = enabled.filter((t) => t.skioSmsAlso);
  if (doubled.length > 0) {
    const { who, at } = newestAnswer(doubled, answerers());
    const names = doubled.map((t) => findSkioEvent(t.eventKey)?.name ?? t.eventKey).join(', ');
    const time = at === null ? 'recorded before the app kept when' : `last answer ${when(at)}`;
    return check('skiosms', title, 'warn', `${who} recorded these as also sent by SkioSMS: ${names} (${time}). Subscribers would get two texts.`, at, 'Turn these off in SkioSMS, or turn them off here.');
  }
  const { who, at } = newestAnswer(enabled, answerers());
  return at === null
    ? check('skiosms', title, 'noted', '“Also sent by SkioSMS” was left unticked for every enabled event: no one has answered it yet.', null, null)
    : check('skiosms', title, 'noted', `${who} recorded that none of the enabled events is also sent by SkioSMS (last answer ${when(at)}).`, at, null);
}

/** A failed check outweighs one not made yet, which outweighs a warning: nothing unverified reads as ready. */
export function overallOf(checks: ReadinessCheck[]): CheckStatus {
  for (const s of ['fail', 'unchecked', 'warn'] as const) if (checks.some((c) => c.status === s)) return s;
  return 'pass';
}

/** A health watch record as the Health history shows it. */
export function toHealthRecord(h: HealthRow): HealthRecord {
  return { ...h };
}

function healthNow(a: Attention | null): StoreReadiness['health'] {
  return a === null ? null : { status: a.status, checkedAt: a.checkedAt, problems: a.problems };
}

/** The store's readiness, read in one snapshot; throws not_found when the store is gone. */
export function readinessOf(ctx: ReadinessDeps, storeId: string): StoreReadiness {
  return ctx.storeHealth.snapshot(() => {
    const store = requireStore(ctx, storeId);
    const triggers = ctx.repo.listTriggers(storeId);
    const ev = ctx.said.evidenceOf(storeId);
    const regs = ctx.webhooks.registrations(store.id);
    const checks = [
      keyCheck(store, ev),
      testUserCheck(store, ev),
      ...eventChecks(ctx, store, triggers),
      keywordCheck(store, ev),
      skipCheck(ctx, store, triggers),
      skipWordCheck(store, ev),
      skioSmsCheck(triggers, () => ctx.repo.skioSmsAnswerers(storeId)),
      webhookCheck(store, ev, regs, regs.length === 0 ? null : listenerMovedOf(ctx, store.id)),
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
      // Derived now from the evidence, as the panel, the badge and the count are: an older green
      // recorded before (say) the Test Event User was set would state what is no longer true.
      health: healthNow(ctx.said.attention(storeId)),
    };
  });
}
