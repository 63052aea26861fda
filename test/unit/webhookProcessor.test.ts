/**
 * What one Postscript webhook delivery does (`src-main/webhooks/processor.ts`), on a real SQLite
 * database without the HTTP listener: what is refused and why, which store it is for, who may skip,
 * what a skip writes, and when the SKIP tester is told. `skip.test.ts` and `webhookSecret.test.ts`
 * prove the same through the listener; these pin each rule's edges. Each test names the wrong
 * change it guards against.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src-main/db/database';
import { OutboxRepository } from '../../src-main/db/outbox';
import { Repository } from '../../src-main/db/store';
import { WebhookRepository } from '../../src-main/db/webhooks';
import { processDelivery, sameSecret, type WebhookDeps } from '../../src-main/webhooks/processor';

afterEach(() => {
  vi.useRealTimers();
});

const PHONE = '+15555550100';
const TOKEN = 'tok_signing_123';

function rig(opts: { followUp?: boolean; testPhone?: string | null } = {}) {
  const db = openDatabase(':memory:');
  const repo = new Repository(db);
  for (const [id, shop, domain] of [['s1', 'shop_1', 'a.myshopify.com'], ['s2', 'shop_2', 'b.myshopify.com']] as const) {
    repo.insertStore({
      id, name: `Shop ${id}`, shopDomain: domain, account: 'sandbox', postscriptShopId: shop, postscriptShopName: 'S', testPhone: opts.testPhone === undefined ? PHONE : opts.testPhone, keyword: 'JOIN',
      credential: { kind: 'shop', scheme: 'x', ciphertext: Buffer.from('abc'), mask: 'sk_…abcd', fingerprint: `f${id}`, validatedAt: null },
      triggers: [{ eventKey: 'next_billing_date_updated', enabled: opts.followUp ?? true, settings: {} }],
    });
  }
  db.prepare(`UPDATE stores SET test_subscriber_id = 'sub_1' WHERE id = 's1'`).run();
  const webhooks = new WebhookRepository(db);
  webhooks.saveToken('s1', 'plain', Buffer.from(TOKEN), 'tok_…_123');
  webhooks.saveSubscription('s1', PHONE, '2030-01-15', 30);
  const emitted: Array<{ topics: string[]; storeId?: string }> = [];
  const pumps = { n: 0 };
  const decrypts = { n: 0 };
  const ctx: WebhookDeps = {
    webhooks,
    repo,
    outbox: new OutboxRepository(db),
    // "unreadable" stands for a secret saved by the other shell's keychain.
    secrets: { decrypt: (scheme: string, c: Buffer) => (decrypts.n++, scheme === 'unreadable' ? null : c.toString()) },
    // Only "changed" reaches the SKIP tester and the log: anything else would refresh nothing.
    bus: { emit: (event: string, payload: unknown) => void (event === 'changed' && emitted.push(payload as { topics: string[]; storeId?: string })) } as WebhookDeps['bus'],
    dispatcher: { pump: () => void pumps.n++ },
  };
  const log = () => db.prepare(`SELECT store_id AS storeId, event, event_data_id AS id, signature, status, action, reason, from_number AS fromNumber, message, before_date AS beforeDate, after_date AS afterDate FROM inbound_webhooks ORDER BY id`).all() as Array<Record<string, unknown>>;
  const nextDate = () => webhooks.getSubscription('s1')!.nextBillingDate;
  const queued = () => db.prepare(`SELECT event_key AS eventKey, body_json AS body FROM outbox`).all() as Array<{ eventKey: string; body: string }>;
  return { db, ctx, webhooks, log, nextDate, queued, emitted, pumps, decrypts };
}

let n = 0;
const sms = (data: Record<string, unknown> = {}, event = 'shop.incoming_message') => ({ event, event_data: { id: `evt_${++n}`, shop_id: 'shop_1', from_number: PHONE, body: 'SKIP', ...data } });

describe('sameSecret', () => {
  it('is true only for the same text: not for another of the same length, nor for a prefix', () => {
    // Guards: comparing hashes only up to the shorter length, or ignoring the length check.
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('', '')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('abc', '')).toBe(false);
  });
});

describe('processDelivery: what is refused before its meaning is looked at', () => {
  it('a body that is not a JSON object is a 400, logged under the store the address names', () => {
    // Guards: arrays or null taken as an envelope; the refusal not logged (the agent could not see it).
    const r = rig();
    for (const body of [null, [1], 'SKIP', 42]) {
      expect(processDelivery(r.ctx, 's1', TOKEN, body)).toEqual({ status: 400, action: 'rejected', reason: 'The body is not a Postscript webhook envelope (a JSON object).', storeId: 's1' });
    }
    expect(r.log().map((l) => [l.storeId, l.action, l.status, l.signature])).toEqual(Array(4).fill(['s1', 'rejected', 400, 'not_checked']));
  });

  it('an envelope without event or event_data is a 400, logged under the store only when the address names one that exists', () => {
    // Guards: event_data as an array or string accepted; a refusal logged under a store that is not here.
    const r = rig();
    for (const body of [{ event_data: { id: 'x' } }, { event: 'shop.incoming_message' }, { event: 'e', event_data: [] }, { event: 'e', event_data: 'x' }, { event: 7, event_data: {} }, { event: 'e', event_data: null }]) {
      expect(processDelivery(r.ctx, 's1', TOKEN, body)).toMatchObject({ status: 400, reason: 'The envelope has no event or event_data.', storeId: 's1' });
    }
    expect(processDelivery(r.ctx, 'gone', TOKEN, { event: 'e' })).toMatchObject({ status: 400, storeId: null });
    expect(processDelivery(r.ctx, null, TOKEN, { event: 'e' })).toMatchObject({ status: 400, storeId: null });
    expect(r.log().map((l) => l.storeId)).toEqual(['s1', 's1', 's1', 's1', 's1', 's1', null, null]);
  });

  it('routes by the address, else by event_data.shop_id, else by the envelope’s resource_id; none is a 404 that names what it looked for', () => {
    // Guards: the body's shop id trusted over the address; resource_id ignored; the 404 not saying which shop.
    const r = rig();
    const body = sms({ shop_id: 'shop_2' });
    expect(processDelivery(r.ctx, 's1', TOKEN, body)).toMatchObject({ status: 200, storeId: 's1', action: 'skipped' });
    expect(processDelivery(r.ctx, null, TOKEN, sms())).toMatchObject({ status: 200, storeId: 's1' });
    expect(processDelivery(r.ctx, null, TOKEN, { event: 'shop.incoming_message', resource_id: 'shop_1', event_data: { id: 'r1', from_number: PHONE, body: 'hi' } })).toMatchObject({ status: 200, storeId: 's1', action: 'ignored' });
    expect(processDelivery(r.ctx, null, TOKEN, sms({ shop_id: 'shop_9' }))).toEqual({ status: 404, action: 'rejected', reason: 'No store here matches this delivery (shop_9).', storeId: null });
    expect(processDelivery(r.ctx, 'nope', TOKEN, sms())).toMatchObject({ status: 404, reason: 'No store here matches this delivery (nope).' });
    expect(processDelivery(r.ctx, null, TOKEN, { event: 'e', resource_id: 'shop_8', event_data: { id: 'x' } })).toMatchObject({ status: 404, reason: 'No store here matches this delivery (shop_8).' });
    // A shop id that is not text is not looked up (SQLite would match the number 5 to the text "5").
    r.db.prepare(`UPDATE stores SET postscript_shop_id = '5' WHERE id = 's2'`).run();
    expect(processDelivery(r.ctx, null, TOKEN, { event: 'e', event_data: { id: 'x', shop_id: 5 } })).toMatchObject({ status: 404, reason: 'No store here matches this delivery (5).' });
    expect(processDelivery(r.ctx, null, TOKEN, { event: 'e', event_data: { id: 'x' } })).toMatchObject({ status: 404, reason: 'No store here matches this delivery (no shop id).' });
    // What was read is logged with the refusal (event, id, sender, message).
    expect(r.log().at(-5)).toMatchObject({ storeId: null, action: 'rejected', status: 404, event: 'shop.incoming_message', fromNumber: PHONE, message: 'SKIP' });
  });

  it('the signature: no token saved, none sent, an empty one and a wrong one are each a 401 with its own verdict and reason', () => {
    // Guards: an empty signature compared (and matching an empty token), the verdicts mixed up, a refusal that moves the order.
    const r = rig();
    expect(processDelivery(r.ctx, 's2', TOKEN, sms({ shop_id: 'shop_2' }))).toMatchObject({ status: 401, reason: 'No signing token is saved for this store: open the SKIP tester and press “Set up”.' });
    expect(processDelivery(r.ctx, 's1', undefined, sms())).toMatchObject({ status: 401, reason: 'No Postscript-Signature header.' });
    expect(processDelivery(r.ctx, 's1', '', sms())).toMatchObject({ status: 401, reason: 'No Postscript-Signature header.' });
    expect(processDelivery(r.ctx, 's1', `${TOKEN}x`, sms())).toMatchObject({ status: 401, reason: 'Postscript-Signature does not match this store’s signing token.' });
    expect(r.log()[0]).toMatchObject({ event: 'shop.incoming_message', fromNumber: PHONE, message: 'SKIP' });
    expect(r.log().map((l) => [l.storeId, l.signature, l.status, l.action])).toEqual([
      ['s2', 'not_checked', 401, 'rejected'],
      ['s1', 'missing', 401, 'rejected'],
      ['s1', 'missing', 401, 'rejected'],
      ['s1', 'wrong', 401, 'rejected'],
    ]);
    expect(r.nextDate()).toBe('2030-01-15');
  });

  it('a new signing token is used at once (the kept decrypted one is dropped when the saved one changes)', async () => {
    // Guards: the decrypted token cached for good (a re-set-up SKIP tester would refuse every delivery).
    // And while it is unchanged, it is decrypted once, not on every delivery (the listener's hot path).
    const r = rig();
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ body: 'hi' })).status).toBe(200);
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ body: 'hi' })).status).toBe(200);
    expect(r.decrypts.n).toBe(1);
    await new Promise((res) => setTimeout(res, 5)); // a later fetchedAt
    r.webhooks.saveToken('s1', 'plain', Buffer.from('tok_new'), 'tok_…_new');
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ body: 'hi' })).status).toBe(401);
    expect(processDelivery(r.ctx, 's1', 'tok_new', sms({ body: 'hi' })).status).toBe(200);
    expect(r.decrypts.n).toBe(2);
  });

  it('the store’s webhook secret: unreadable here, missing, empty or wrong is a 401 (signature valid); the right one passes', () => {
    // Guards: a missing secret header accepted when one was registered; an unreadable secret treated as "none".
    const r = rig();
    r.webhooks.saveSecret('s1', 'plain', Buffer.from('sec_1'));
    const cases: Array<[string | undefined, number, string | null]> = [
      [undefined, 401, 'No x-console-webhook-secret header: this store’s webhooks were registered with one, so a delivery without it is not from Postscript.'],
      ['', 401, 'No x-console-webhook-secret header: this store’s webhooks were registered with one, so a delivery without it is not from Postscript.'],
      ['sec_2', 401, 'x-console-webhook-secret does not match this store’s webhook secret.'],
      ['sec_1', 200, null],
    ];
    for (const [header, status, reason] of cases) {
      const res = processDelivery(r.ctx, 's1', TOKEN, sms({ body: 'hello' }), header);
      expect(res.status).toBe(status);
      if (reason !== null) expect(res.reason).toBe(reason);
    }
    expect(r.log().map((l) => [l.action, l.signature, l.status])).toEqual([
      ['rejected', 'valid', 401],
      ['rejected', 'valid', 401],
      ['rejected', 'valid', 401],
      ['ignored', 'valid', 200],
    ]);

    const r2 = rig();
    r2.webhooks.saveSecret('s1', 'unreadable', Buffer.from('x'));
    expect(processDelivery(r2.ctx, 's1', TOKEN, sms(), 'anything')).toMatchObject({
      status: 401,
      reason: 'This store’s webhook secret was saved by the other shell and cannot be read here: register the webhook again.',
    });
    expect(r2.log()).toEqual([expect.objectContaining({ action: 'rejected', signature: 'valid', status: 401, event: 'shop.incoming_message', fromNumber: PHONE })]);
    expect(r2.nextDate()).toBe('2030-01-15');
  });

  it('no event_data.id is a 400: a delivery that cannot be deduplicated is not acted on', () => {
    // Guards: a delivery without an id skipping (every redelivery would skip again).
    const r = rig();
    expect(processDelivery(r.ctx, 's1', TOKEN, { event: 'shop.incoming_message', event_data: { shop_id: 'shop_1', from_number: PHONE, body: 'SKIP' } })).toMatchObject({
      status: 400,
      reason: 'event_data.id is missing: the delivery cannot be deduplicated.',
    });
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ id: 12 }))).toMatchObject({ status: 400 });
    expect(r.log().map((l) => [l.action, l.signature, l.status, l.event, l.message])).toEqual(Array(2).fill(['rejected', 'valid', 400, 'shop.incoming_message', 'SKIP']));
    expect(r.nextDate()).toBe('2030-01-15');
  });
});

describe('processDelivery: what a read delivery does', () => {
  it('a SKIP from the test subscriber moves the date once, queues the follow-up event with the new date, and wakes the outbox', () => {
    // Guards: the date moved by the wrong interval; the follow-up not queued or without the new date; the outbox not woken; a repeat skipping twice.
    const r = rig();
    const body = sms();
    const res = processDelivery(r.ctx, 's1', TOKEN, body);
    expect(res).toEqual({
      status: 200,
      action: 'skipped',
      reason: 'Skipped the next order: 2030-01-15 → 2030-02-14. Subscription Next Billing Date Updated queued to Postscript.',
      storeId: 's1',
      skipped: { before: '2030-01-15', after: '2030-02-14' },
    });
    expect(r.nextDate()).toBe('2030-02-14');
    expect(r.pumps.n).toBe(1);
    const q = r.queued();
    expect(q.map((i) => i.eventKey)).toEqual(['next_billing_date_updated']);
    expect(q[0]!.body).toContain('2030-02-14');
    expect(r.log().at(-1)).toMatchObject({ action: 'skipped', status: 200, signature: 'valid', beforeDate: '2030-01-15', afterDate: '2030-02-14', id: body.event_data.id, fromNumber: PHONE, message: 'SKIP', event: 'shop.incoming_message' });

    expect(processDelivery(r.ctx, 's1', TOKEN, body)).toEqual({ status: 200, action: 'duplicate', reason: `Already handled ${body.event_data.id}: Postscript delivers at least once, so this repeat does nothing.`, storeId: 's1' });
    expect(r.nextDate()).toBe('2030-02-14');
    expect(r.queued()).toHaveLength(1);
    expect(r.pumps.n).toBe(1);
  });

  it('with the follow-up event off, or no test phone, a skip queues nothing and says nothing of it', () => {
    // Guards: a follow-up text queued although the merchant turned the event off, or with no one to text.
    for (const opts of [{ followUp: false }, { testPhone: null }]) {
      const r = rig(opts);
      if (opts.testPhone === null) r.webhooks.saveSubscription('s1', PHONE, '2030-01-15', 30);
      const res = processDelivery(r.ctx, 's1', TOKEN, sms());
      expect(res.action).toBe('skipped');
      expect(res.reason).toBe('Skipped the next order: 2030-01-15 → 2030-02-14.');
      expect(r.queued()).toEqual([]);
    }
  });

  it('other events, opt-outs and messages that are not the store’s word are logged as ignored, each saying why', () => {
    // Guards: any event treated as a message; an opt-out "SKIP" skipping; the store's own word ignored; the reason's quote unbounded.
    const r = rig();
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({}, 'subscriber.created'))).toMatchObject({ action: 'ignored', reason: 'subscriber.created is not handled here.' });
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ is_opt_out: true }))).toMatchObject({ action: 'ignored', reason: 'The sender opted out: an opt-out is never a skip.' });
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ is_opt_out: 'true' })).action).toBe('skipped');
    const long = `please ${'x'.repeat(2000)}`;
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ body: long }))).toMatchObject({ action: 'ignored', reason: `“${long.slice(0, 60)}” is not SKIP.` });
    expect(r.log().at(-1)!.message).toBe(long.slice(0, 1600));
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ body: 5 }))).toMatchObject({ action: 'ignored', reason: '“” is not SKIP.' });
    r.db.prepare(`UPDATE stores SET skip_word = 'PAUSE' WHERE id = 's1'`).run();
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ body: 'skip' }))).toMatchObject({ action: 'ignored', reason: '“skip” is not PAUSE.' });
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ body: 'pause' })).action).toBe('skipped');
    expect(r.pumps.n).toBe(2);
  });

  it('only the test subscriber may skip: by number (written any way), or by the store’s own subscriber id when its phone is the subscription’s', () => {
    // Guards: any sender skipping; the raw number compared; any subscriber id trusted; the id trusted when the store's phone is not the subscription's.
    const r = rig();
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ from_number: '+15555550199' }))).toMatchObject({ action: 'ignored', reason: 'No test subscription here for +15555550199.' });
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ from_number: 'not a phone', subscriber_id: 'sub_9' }))).toMatchObject({ action: 'ignored', reason: 'No test subscription here for not a phone.' });
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ from_number: undefined, subscriber_id: 'sub_9' }))).toMatchObject({ action: 'ignored', reason: 'No test subscription here for sub_9.' });
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ from_number: undefined, subscriber_id: 77 }))).toMatchObject({ action: 'ignored', reason: 'No test subscription here for 77.' });
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ from_number: undefined }))).toMatchObject({ action: 'ignored', reason: 'No test subscription here for this sender.' });
    expect(r.nextDate()).toBe('2030-01-15');
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ from_number: '(555) 555-0100' })).action).toBe('skipped');
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ from_number: undefined, subscriber_id: 'sub_1' })).action).toBe('skipped');
    expect(r.nextDate()).toBe('2030-03-16');
    // The store's test phone changed since the subscription was made: its subscriber id no longer proves the sender.
    r.db.prepare(`UPDATE stores SET test_phone = '+15555550111' WHERE id = 's1'`).run();
    expect(processDelivery(r.ctx, 's1', TOKEN, sms({ from_number: undefined, subscriber_id: 'sub_1' })).action).toBe('ignored');
    // No test subscription at all: nothing to move.
    r.db.prepare(`DELETE FROM test_subscriptions`).run();
    expect(processDelivery(r.ctx, 's1', TOKEN, sms()).action).toBe('ignored');
  });
});

describe('processDelivery: telling the SKIP tester', () => {
  it('says once per 150 ms what changed, with the store when only one was touched; a skip names the outbox and events too', () => {
    // Guards: a refresh per delivery (thousands a second), none at all, the topics of a skip missing the outbox, or the store named wrongly.
    vi.useFakeTimers();
    const r = rig();
    processDelivery(r.ctx, 's1', TOKEN, sms({ body: 'hello' }));
    processDelivery(r.ctx, 's1', TOKEN, sms({ body: 'hi' }));
    vi.advanceTimersByTime(149);
    expect(r.emitted).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(r.emitted).toEqual([{ topics: ['skip'], storeId: 's1' }]);

    processDelivery(r.ctx, 's1', TOKEN, sms());
    vi.advanceTimersByTime(150);
    expect(r.emitted.at(-1)).toEqual({ topics: ['skip', 'outbox', 'triggers'], storeId: 's1' });

    processDelivery(r.ctx, 's1', TOKEN, sms({ body: 'hello' }));
    processDelivery(r.ctx, null, TOKEN, sms({ shop_id: 'shop_9' }));
    vi.advanceTimersByTime(150);
    expect(r.emitted.at(-1)).toEqual({ topics: ['skip'] });

    processDelivery(r.ctx, null, TOKEN, sms({ shop_id: 'shop_9' }));
    vi.advanceTimersByTime(150);
    expect(r.emitted.at(-1)).toEqual({ topics: ['skip'] });
    expect(r.emitted).toHaveLength(4);
  });
});
