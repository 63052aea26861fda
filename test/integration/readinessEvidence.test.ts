/**
 * The words of each readiness check (`src-main/readiness/checks.ts`) for every kind of evidence the
 * log can hold: the merchant reads these lines in the go-live report, so each must say exactly what
 * happened, by whom and when. Attempts are written straight into the delivery log (as the outbox or
 * a teammate's sync would) so each outcome, status and time can be chosen; `readiness.test.ts`
 * proves the same checks through real sends. Each test names the wrong change it guards against.
 */
import { describe, expect, it } from 'vitest';
import { when } from '../../src-main/readiness/checks';
import { listenerMovedKey } from '../../src-main/webhooks/listenerMove';
import type { ReadinessCheck } from '../../src-shared/ipc/contract';
import { coresPerTest, type TestCore } from '../helpers/core';

const core = coresPerTest();

/** A Sandbox store with the given events turned on, nothing sent yet. */
async function storeWith(c: TestCore, events: string[], skioSmsAlso: string[] = []): Promise<string> {
  const s = await c.ok('stores', 'create', { name: 'Words Shop', shopDomain: 'words-shop', account: 'sandbox', keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
  for (const eventKey of events) await c.ok('triggers', 'set', { storeId: s.id, eventKey, enabled: true, skioSmsAlso: skioSmsAlso.includes(eventKey) });
  return s.id;
}

interface Attempt {
  eventKey?: string;
  outcome: 'delivered' | 'failed' | 'rate_limited' | 'uncertain';
  status: number | null;
  startedAt: string;
  finishedAt?: string | null;
  errorMessage?: string | null;
  responseBody?: string | null;
  agentId?: string;
}

/** Writes one attempt into the log, as the outbox (or a teammate's sync, with `agentId`) would. */
function logAttempt(c: TestCore, storeId: string, a: Attempt): void {
  c.core.db
    .prepare(
      `INSERT INTO deliveries (store_id, event_key, postscript_type, external_id, attempt, outcome, request_method, request_url, request_headers_json, request_body,
         response_status, response_body, error_code, error_message, latency_ms, started_at, finished_at, agent_id)
       VALUES (?, ?, 'Skio_BillingReminderNotification', ?, 1, ?, 'POST', '/api/v2/events', '{}', '{"type":"Skio_BillingReminderNotification"}', ?, ?, NULL, ?, 5, ?, ?, ?)`,
    )
    .run(storeId, a.eventKey ?? 'billing_reminder', `ext-${Math.random()}`, a.outcome, a.status, a.responseBody === undefined ? '{"ok":true}' : a.responseBody, a.errorMessage ?? null, a.startedAt, a.finishedAt === undefined ? a.startedAt : a.finishedAt, a.agentId ?? null);
}

async function checks(c: TestCore, storeId: string): Promise<{ overall: string; by: Record<string, ReadinessCheck> }> {
  const r = await c.ok('readiness', 'get', { storeId });
  return { overall: r.overall, by: Object.fromEntries(r.checks.map((x) => [x.id, x])) };
}

const SEND_AGAIN = 'Send a test of this event (setup step 5) and fix what Postscript answers.';

describe('readiness: the events check in words', () => {
  it('no event turned on: one failing check that says so and what to do, and SkioSMS does not apply', async () => {
    // Guards: a store with nothing turned on reading as ready (no event checks at all), or SkioSMS said as checked.
    const c = await core();
    const id = await storeWith(c, []);
    const { overall, by } = await checks(c, id);
    expect(overall).toBe('fail');
    expect(by.events).toMatchObject({
      title: 'Events turned on',
      status: 'fail',
      evidence: 'No Skio event is turned on for this store.',
      at: null,
      action: 'Turn on the events the merchant wants in Postscript flows (setup step 4).',
    });
    expect(Object.keys(by).filter((k) => k.startsWith('event:'))).toEqual([]);
    expect(by.skiosms).toMatchObject({ status: 'na', evidence: 'No event is turned on, so nothing can be texted twice.', action: null });
  });

  it('never accepted: says the last attempt’s time, its outcome in words (never the log’s raw name), its status and error', async () => {
    // Guards: a failed-only event said as "not checked yet"; the outcome words or HTTP status swapped or dropped.
    const cases: Array<[Omit<Attempt, 'startedAt'>, string]> = [
      [{ outcome: 'failed', status: 500, errorMessage: 'Internal error' }, 'not accepted (HTTP 500): Internal error'],
      [{ outcome: 'failed', status: null }, 'not accepted'],
      [{ outcome: 'rate_limited', status: 429 }, 'rate-limited (429)'],
      [{ outcome: 'rate_limited', status: null }, 'rate-limited (429)'],
      [{ outcome: 'failed', status: 429, errorMessage: 'Too many requests' }, 'rate-limited (429): Too many requests'],
      [{ outcome: 'uncertain', status: null, errorMessage: 'The app quit while this was in flight' }, 'sent with no answer, so it may or may not have arrived: The app quit while this was in flight'],
      [{ outcome: 'uncertain', status: 502 }, 'sent with no answer, so it may or may not have arrived (HTTP 502)'],
    ];
    const c = await core();
    const id = await storeWith(c, ['billing_reminder']);
    for (const [i, [attempt, words]] of cases.entries()) {
      const startedAt = `2026-12-0${i + 1}T10:00:00.000Z`;
      logAttempt(c, id, { ...attempt, startedAt });
      const { overall, by } = await checks(c, id);
      expect(overall).toBe('fail');
      expect(by['event:billing_reminder']).toMatchObject({
        title: 'Skio: Billing Reminder Notification delivered to the Sandbox',
        status: 'fail',
        evidence: `Skio_BillingReminderNotification was never accepted; last attempt 2026-12-0${i + 1} 10:00:00 UTC was ${words}.`,
        at: startedAt,
        action: SEND_AGAIN,
      });
    }
  });

  it('accepted: by whom, when it finished (or started, with no finish), its status, and what was sent and answered', async () => {
    // Guards: the proof's time taken from the wrong field; the answerer named wrongly (Sandbox vs Postscript); the details dropped.
    const c = await core();
    const id = await storeWith(c, ['billing_reminder', 'subscription_created']);
    logAttempt(c, id, { outcome: 'delivered', status: 202, startedAt: '2026-12-01T10:00:00.000Z', finishedAt: '2026-12-01T10:00:01.000Z' });
    logAttempt(c, id, { eventKey: 'subscription_created', outcome: 'delivered', status: null, startedAt: '2026-12-02T10:00:00.000Z', finishedAt: null, responseBody: null });
    const { by } = await checks(c, id);
    expect(by['event:billing_reminder']).toMatchObject({
      status: 'pass',
      evidence: 'Skio_BillingReminderNotification accepted by the Sandbox 2026-12-01 10:00:01 UTC with HTTP 202.',
      at: '2026-12-01T10:00:01.000Z',
      action: null,
      details: [
        { label: 'Payload sent', text: '{"type":"Skio_BillingReminderNotification"}' },
        { label: 'The Sandbox’s answer', text: '{"ok":true}' },
      ],
    });
    expect(by['event:subscription_created']).toMatchObject({
      status: 'pass',
      evidence: 'Skio_NewSubscriptionCreated accepted by the Sandbox 2026-12-02 10:00:00 UTC with HTTP ?.',
      at: '2026-12-02T10:00:00.000Z',
    });
    expect(by['event:subscription_created']!.details[1]).toEqual({ label: 'The Sandbox’s answer', text: '' });

    // The same evidence on a live store is Postscript's word. (The account is set in the database:
    // only the words depend on it here.)
    c.core.db.prepare(`UPDATE stores SET account = 'live' WHERE id = ?`).run(id);
    const live = (await checks(c, id)).by['event:billing_reminder']!;
    expect(live.evidence).toBe('Skio_BillingReminderNotification accepted by Postscript 2026-12-01 10:00:01 UTC with HTTP 202.');
    expect(live.title).toBe('Skio: Billing Reminder Notification delivered to Postscript');
    expect(live.details[1]!.label).toBe('Postscript’s answer');
  });

  it('a failure after the proof warns and says when and what; a teammate’s older failure that arrives later does not', async () => {
    // Guards: the newest attempt compared by arrival (id) rather than time, or a later failure hidden behind an old proof.
    const c = await core();
    const id = await storeWith(c, ['billing_reminder']);
    logAttempt(c, id, { outcome: 'delivered', status: 202, startedAt: '2026-12-02T10:00:00.000Z' });
    // A teammate's attempt from the day before, synced only now: it is older than the proof.
    logAttempt(c, id, { outcome: 'failed', status: 500, startedAt: '2026-12-01T10:00:00.000Z', agentId: 'ben' });
    expect((await checks(c, id)).by['event:billing_reminder']).toMatchObject({ status: 'pass', evidence: 'Skio_BillingReminderNotification accepted by the Sandbox 2026-12-02 10:00:00 UTC with HTTP 202.' });

    logAttempt(c, id, { outcome: 'rate_limited', status: 429, startedAt: '2026-12-03T10:00:00.000Z' });
    const { overall, by } = await checks(c, id);
    expect(by['event:billing_reminder']).toMatchObject({
      status: 'warn',
      evidence: 'Skio_BillingReminderNotification accepted by the Sandbox 2026-12-02 10:00:00 UTC with HTTP 202. A later attempt (2026-12-03 10:00:00 UTC) was rate-limited (429).',
      at: '2026-12-02T10:00:00.000Z',
      action: 'The newest attempt did not go through: open it in the delivery log and send again.',
    });
    expect(overall).not.toBe('pass');
  });

  it('an event this app does not know (from a newer teammate) is named by its key, never dropped', async () => {
    // Guards: an unknown event crashing the checks or vanishing from the report.
    const c = await core();
    const id = await storeWith(c, ['billing_reminder']);
    c.core.db.prepare(`INSERT INTO triggers (store_id, event_key, enabled, settings_json, updated_at, skio_sms_also) VALUES (?, 'gift_card_sent', 1, '{}', ?, 1)`).run(id, new Date().toISOString());
    const { by } = await checks(c, id);
    expect(by['event:gift_card_sent']).toMatchObject({ title: 'gift_card_sent delivered to the Sandbox', status: 'unchecked', evidence: 'gift_card_sent has never been sent.' });
    // Ticked before this version kept the time of an answer: said so, not given a time it does not have.
    expect(by.skiosms).toMatchObject({ at: null, evidence: 'The onboarding agent recorded these as also sent by SkioSMS: gift_card_sent (recorded before the app kept when). Subscribers would get two texts.' });
  });
});

describe('readiness: the webhook check', () => {
  it('a listener move remembered for a store with nothing registered any more is not a warning', async () => {
    // Guards: "still points at the old address" said of registrations that are gone (removed by a teammate, say).
    const c = await core();
    const id = await storeWith(c, ['billing_reminder']);
    c.core.ctx.repo.setState(listenerMovedKey(id), { from: 'http://127.0.0.1:8787', to: 'http://127.0.0.1:8788', at: '2026-12-05T10:00:00.000Z' });
    expect((await checks(c, id)).by.webhooks).toMatchObject({ status: 'na', evidence: 'Sandbox store: there is no live Postscript account whose webhooks could be checked.' });
  });
});

describe('readiness: SKIP and SkioSMS in words', () => {
  it('no SKIP yet: a failure when the billing reminder asks subscribers to reply SKIP, else a warning; the fix fits the account', async () => {
    // Guards: the reminder rule dropped; a live store told to press "Simulate SKIP" (a Sandbox button).
    const c = await core();
    const id = await storeWith(c, ['billing_reminder']);
    expect((await checks(c, id)).by.skip).toMatchObject({
      title: 'SKIP round trip',
      status: 'fail',
      evidence: 'No SKIP has been received for this store yet, and the billing reminder tells subscribers to reply SKIP.',
      at: null,
      action: 'Open the SKIP tester, set it up and press Simulate SKIP.',
    });
    await c.ok('triggers', 'set', { storeId: id, eventKey: 'billing_reminder', enabled: false });
    await c.ok('triggers', 'set', { storeId: id, eventKey: 'subscription_created', enabled: true });
    expect((await checks(c, id)).by.skip).toMatchObject({ status: 'warn', evidence: 'No SKIP has been received for this store yet.' });
    c.core.db.prepare(`UPDATE stores SET account = 'live' WHERE id = ?`).run(id);
    expect((await checks(c, id)).by.skip!.action).toBe('Open the SKIP tester, register the webhook through a tunnel and text SKIP from the test phone.');
  });

  it('a SKIP received: how (simulated or live), when, the message and the dates it moved between', async () => {
    // Guards: a live SKIP called simulated (or the reverse); the dates or the message left out.
    const c = await core();
    const id = await storeWith(c, ['billing_reminder']);
    const skipped = (message: string | null, before: string | null, after: string | null) =>
      c.core.db
        .prepare(`INSERT INTO inbound_webhooks (received_at, store_id, event, event_data_id, signature, status, action, reason, message, before_date, after_date) VALUES ('2026-12-04T09:30:00.000Z', ?, 'shop.incoming_message', ?, 'valid', 200, 'skipped', 'Skipped', ?, ?, ?)`)
        .run(id, `e${Math.random()}`, message, before, after);
    skipped('Skip!', '2030-01-15', '2030-02-14');
    expect((await checks(c, id)).by.skip).toMatchObject({
      status: 'pass',
      evidence: 'simulated through the Sandbox 2026-12-04 09:30:00 UTC: “Skip!” moved the next billing date from 2030-01-15 to 2030-02-14.',
      at: '2026-12-04T09:30:00.000Z',
      action: null,
    });
    skipped(null, null, null);
    c.core.db.prepare(`UPDATE stores SET account = 'live' WHERE id = ?`).run(id);
    expect((await checks(c, id)).by.skip!.evidence).toBe('live, from Postscript 2026-12-04 09:30:00 UTC: “” moved the next billing date from ? to ?.');
  });

  it('SkioSMS: the agent’s answer with its time, naming every event also sent by SkioSMS; none is the agent’s answer too, never a pass', async () => {
    // Guards: the doubled events left out of the warning, the answer's time dropped, or the agent's answer shown as a pass.
    const c = await core();
    const id = await storeWith(c, ['billing_reminder', 'subscription_created', 'card_expiration'], ['billing_reminder', 'card_expiration']);
    const warned = (await checks(c, id)).by.skiosms!;
    expect(warned).toMatchObject({
      title: 'No double texts with SkioSMS',
      status: 'warn',
      evidence: expect.stringMatching(/^The onboarding agent recorded these as also sent by SkioSMS: Skio: Billing Reminder Notification, Skio: Card Expiration Notification \(last answer \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\)\. Subscribers would get two texts\.$/),
      action: 'Turn these off in SkioSMS, or turn them off here.',
    });
    expect(Date.now() - Date.parse(warned.at!)).toBeLessThan(60_000);
    for (const eventKey of ['billing_reminder', 'card_expiration']) await c.ok('triggers', 'set', { storeId: id, eventKey, enabled: true, skioSmsAlso: false });
    const none = (await checks(c, id)).by.skiosms!;
    expect(none).toMatchObject({ status: 'noted', evidence: `The onboarding agent recorded that none of the enabled events is also sent by SkioSMS (last answer ${when(none.at)}).`, action: null });
    expect(none.at! >= warned.at!).toBe(true);
  });

  it('SkioSMS: of several answers the newest is stated, with who gave it; a tick from before times were kept does not hide it', async () => {
    // Guards: the first or the oldest answer stated as the last one; a tick with no time taken as the newest.
    const c = await core();
    const events = ['billing_attempt_failed', 'next_billing_date_updated', 'subscription_reactivated', 'subscription_renewed'];
    const id = await storeWith(c, events, events);
    const noted = (eventKey: string, at: string | null) => c.core.db.prepare(`UPDATE triggers SET skio_sms_noted_at = ? WHERE store_id = ? AND event_key = ?`).run(at, id, eventKey);
    noted('billing_attempt_failed', null);
    noted('next_billing_date_updated', '2026-12-06T08:00:00.000Z');
    noted('subscription_reactivated', '2026-12-06T09:00:00.000Z');
    noted('subscription_renewed', '2026-12-06T07:00:00.000Z');
    c.core.db.prepare(`INSERT INTO sync_agents (id, name, hlc) VALUES ('ben', 'Ben', '0')`).run();
    c.core.db.prepare(`INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id) VALUES ('trigger', ?, 'skio_sms_noted_at', '0', 'ben')`).run(`${id}/subscription_reactivated`);
    expect((await checks(c, id)).by.skiosms).toMatchObject({
      at: '2026-12-06T09:00:00.000Z',
      evidence:
        'Ben recorded these as also sent by SkioSMS: Skio: Billing Attempt Failed, Skio: Subscription Next Billing Date Updated, Skio: Subscription Reactivated, Skio: Subscription Renewed (last answer 2026-12-06 09:00:00 UTC). Subscribers would get two texts.',
    });
  });

  it('SkioSMS: a box never touched is said as such (no time, no one), and a teammate’s answer names them', async () => {
    // Guards: an untouched default said as the agent's recorded answer; a teammate's answer credited to this console's agent.
    const c = await core();
    const s = await c.ok('stores', 'create', { name: 'Untouched', shopDomain: 'untouched', account: 'sandbox', keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'billing_reminder', enabled: true });
    expect((await checks(c, s.id)).by.skiosms).toMatchObject({ status: 'noted', at: null, evidence: '“Also sent by SkioSMS” was left unticked for every enabled event: no one has answered it yet.' });
    // Ben's answer, as the team merge leaves it: the field's version names its author (the team database's login).
    c.core.db.prepare(`UPDATE triggers SET skio_sms_also = 1, skio_sms_noted_at = '2026-12-06T08:00:00.000Z' WHERE store_id = ? AND event_key = 'billing_reminder'`).run(s.id);
    c.core.db.prepare(`INSERT INTO sync_agents (id, name, hlc) VALUES ('ben', 'Ben', '0')`).run();
    c.core.db.prepare(`INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id) VALUES ('trigger', ?, 'skio_sms_noted_at', '0', 'ben')`).run(`${s.id}/billing_reminder`);
    expect((await checks(c, s.id)).by.skiosms).toMatchObject({
      status: 'warn',
      at: '2026-12-06T08:00:00.000Z',
      evidence: 'Ben recorded these as also sent by SkioSMS: Skio: Billing Reminder Notification (last answer 2026-12-06 08:00:00 UTC). Subscribers would get two texts.',
    });
  });
});
