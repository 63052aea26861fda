/**
 * The SKIP path end to end: the Sandbox delivers shop.incoming_message to the app's listener,
 * signed as Postscript signs it; the listener skips the test subscriber's next order exactly once.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { coresPerTest, type TestCore } from '../helpers/core';

const core = coresPerTest();

async function ready(c: TestCore, opts: { followUp?: boolean } = {}): Promise<{ storeId: string; shopId: string; url: string; token: string; hookHeaders: Record<string, string> }> {
  const s = await c.ok('stores', 'create', { name: 'Skip Shop', shopDomain: 'skip-shop', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
  if (opts.followUp === true) await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'next_billing_date_updated', enabled: true });
  const st = await c.ok('skip', 'setup', { storeId: s.id });
  await c.ok('skip', 'setSubscription', { storeId: s.id, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });
  const shop = c.core.ctx.sandbox.state.shopById(s.postscriptShopId!)!;
  // Postscript sends the registration's custom headers (the per-store secret) with every delivery.
  return { storeId: s.id, shopId: shop.id, url: st.callbackUrl!, token: shop.signingToken, hookHeaders: shop.webhooks[0]!.headers };
}

function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function envelope(shopId: string, id: string, body = 'SKIP', from = '+15555550100', extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    webhook_id: 'wh_test',
    resource_type: 'shop',
    resource_id: shopId,
    event_time: '2026-11-24T10:00:00.000000',
    event: 'shop.incoming_message',
    event_data: { id, subscriber_id: null, shop_id: shopId, is_opt_out: false, shopify_customer_id: null, from_number: from, created_at: '2026-11-24T10:00:00', body, ...extra },
  });
}

describe('setup', () => {
  it('saves the signing token encrypted (the renderer sees a mask), subscribes the listener in the Sandbox, and makes the test subscription', async () => {
    const c = await core();
    const { storeId, token } = await ready(c);
    const st = await c.ok('skip', 'status', { storeId });
    expect(st.tokenMask).toBe(`…${token.slice(-4)}`);
    for (const sent of c.sentToRenderer) expect(sent).not.toContain(token);
    expect(st.listener).toMatchObject({ running: true, host: '127.0.0.1' });
    expect(st.callbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/postscript\/webhooks\/[\w-]+$/);
    expect(st.registrations).toHaveLength(1);
    expect(st.subscription).toMatchObject({ phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });
    expect(st.keywordConflict).toBe(false);
  });

  it('warns when the SKIP word is also a Postscript keyword of the shop', async () => {
    const c = await core();
    const { storeId } = await ready(c);
    const st = await c.ok('skip', 'setSkipWord', { storeId, word: 'join' });
    expect(st).toMatchObject({ skipWord: 'JOIN', keywordConflict: true });
    expect(await c.call('skip', 'setSkipWord', { storeId, word: 'skip it' })).toMatchObject({ ok: false, error: { field: 'word' } });
  });
});

describe('SKIP through the Sandbox', () => {
  it('skips the next order once and queues Next Billing Date Updated', async () => {
    const c = await core();
    const { storeId } = await ready(c, { followUp: true });
    const r = await c.ok('skip', 'simulate', { storeId, variant: 'skip' });
    expect(r.statuses).toEqual([200]);
    expect(r).toMatchObject({ before: '2030-01-15', after: '2030-02-14' });
    expect(r.rows.map((x) => [x.action, x.signature])).toEqual([['skipped', 'valid']]);
    // The follow-up event goes out through the outbox with the new date.
    for (;;) {
      if ((await c.ok('outbox', 'status', {})).waiting === 0) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const sent = c.core.ctx.sandbox.state.data.events.find((e) => e.type === 'Skio_SubscriptionNextBillingDateUpdated');
    expect((sent?.body.properties as Record<string, unknown>).nextBillingDate).toBe('2030-02-14');
  });

  it.each([
    ['duplicate', [200, 200], ['skipped', 'duplicate'], '2030-02-14'],
    ['skip_please', [200], ['ignored'], '2030-01-15'],
    ['opted_out', [200], ['ignored'], '2030-01-15'],
    ['wrong_signature', [401], ['rejected'], '2030-01-15'],
  ] as const)('%s: answers %j, logs %j, date ends %s', async (variant, statuses, actions, after) => {
    const c = await core();
    const { storeId } = await ready(c);
    const r = await c.ok('skip', 'simulate', { storeId, variant });
    expect(r.statuses).toEqual(statuses);
    expect(r.rows.map((x) => x.action)).toEqual(actions);
    expect(r.after).toBe(after);
  });

  it('a retry after the listener answered 500 skips once', async () => {
    const c = await core();
    const { storeId, shopId } = await ready(c);
    // The first delivery cannot be saved: the storage fails in the middle of its transaction.
    c.core.db.exec(`CREATE TEMP TRIGGER storage_fails BEFORE INSERT ON processed_webhook_events BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
    const delivery = await c.core.ctx.sandbox.deliverIncomingMessage(shopId, { body: 'skip', fromNumber: '+15555550100', retryIntervalMs: 100 });
    expect(delivery.first).toEqual([500]);
    expect((await c.ok('skip', 'status', { storeId })).subscription!.nextBillingDate).toBe('2030-01-15'); // nothing half-done
    c.core.db.exec('DROP TRIGGER storage_fails');
    const rounds = await delivery.done;
    expect(rounds.map((r) => r[0])).toEqual([500, 200]);
    const sub = (await c.ok('skip', 'status', { storeId })).subscription!;
    expect(sub).toMatchObject({ nextBillingDate: '2030-02-14', skippedCount: 1 });
    // A redelivery of the same event after the 200 changes nothing.
    const again = await c.core.ctx.sandbox.deliverIncomingMessage(shopId, { body: 'skip', fromNumber: '+15555550100', eventId: delivery.eventId });
    expect(again.first).toEqual([200]);
    expect((await c.ok('skip', 'status', { storeId })).subscription!.skippedCount).toBe(1);
  });

  it('refuses simulations for a live store', async () => {
    const c = await core();
    const { storeId } = await ready(c);
    c.core.db.prepare(`UPDATE stores SET account = 'live' WHERE id = ?`).run(storeId);
    expect(await c.call('skip', 'simulate', { storeId, variant: 'skip' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('the listener refuses what it must', () => {
  it.each([
    ['no signature', (e: string) => [e, { 'content-type': 'application/json' }], 401, 'missing'],
    ['a wrong signature', (e: string) => [e, { 'content-type': 'application/json', 'postscript-signature': 'nope' }], 401, 'wrong'],
    ['malformed JSON', (_e: string, t: string) => ['{"event": ', { 'content-type': 'application/json', 'postscript-signature': t }], 400, 'not_checked'],
    ['a wrong content type', (e: string, t: string) => [e, { 'content-type': 'text/plain', 'postscript-signature': t }], 415, 'not_checked'],
    ['an oversized body', (_e: string, t: string) => [JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }), { 'content-type': 'application/json', 'postscript-signature': t }], 413, 'not_checked'],
  ] as const)('%s', async (_label, make, status, verdict) => {
    const c = await core();
    const { storeId, shopId, url, token } = await ready(c);
    const [body, headers] = make(envelope(shopId, 'im_reject'), token) as unknown as [string, Record<string, string>];
    const res = await post(url, body, headers);
    expect(res.status).toBe(status);
    const [row] = (await c.ok('skip', 'inbound', { storeId })).rows;
    expect(row).toMatchObject({ action: 'rejected', signature: verdict, status });
    expect((await c.ok('skip', 'status', { storeId })).subscription!.nextBillingDate).toBe('2030-01-15');
  });

  it('an unknown shop', async () => {
    const c = await core();
    const { url, token } = await ready(c);
    const base = url.replace(/\/[^/]+$/, '');
    const res = await post(base, envelope('shop_nobody', 'im_x'), { 'content-type': 'application/json', 'postscript-signature': token });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).reason).toMatch(/No store here matches/);
  });

  it('routes by the shop id inside when the URL names no store, and ignores unknown event types', async () => {
    const c = await core();
    const { storeId, shopId, url, token, hookHeaders } = await ready(c);
    const base = url.replace(/\/[^/]+$/, '');
    const other = JSON.stringify({ ...JSON.parse(envelope(shopId, 'im_other')), event: 'shop.subscriber.opt_in' });
    expect((await post(base, other, { ...hookHeaders, 'content-type': 'application/json', 'postscript-signature': token })).status).toBe(200);
    const skip = await post(base, envelope(shopId, 'im_route', 'SKIP.'), { ...hookHeaders, 'content-type': 'application/json', 'postscript-signature': token });
    expect(JSON.parse(skip.body)).toMatchObject({ ok: true, action: 'skipped' });
    const rows = (await c.ok('skip', 'inbound', { storeId })).rows.map((r) => r.action);
    expect(rows).toEqual(['skipped', 'ignored']);
  });

  it('every delivery replayed ten times skips once', async () => {
    const c = await core();
    const { storeId, shopId, url, token, hookHeaders } = await ready(c);
    const ids = ['im_a', 'im_b', 'im_c'];
    await Promise.all(
      Array.from({ length: 10 }).flatMap(() => ids.map((id) => post(url, envelope(shopId, id), { ...hookHeaders, 'content-type': 'application/json', 'postscript-signature': token }))),
    );
    const st = await c.ok('skip', 'status', { storeId });
    expect(st.subscription).toMatchObject({ skippedCount: 3, nextBillingDate: '2030-04-15' });
    const rows = (await c.ok('skip', 'inbound', { storeId, limit: 100 })).rows;
    expect(rows.filter((r) => r.action === 'skipped')).toHaveLength(3);
    expect(rows.filter((r) => r.action === 'duplicate')).toHaveLength(27);
  });
});

describe('who may skip: only the test subscriber', () => {
  const skipFrom = async (from: string | null, extra: Record<string, unknown> = {}) => {
    const c = await core();
    const r = await ready(c);
    const body = envelope(r.shopId, 'im_who', 'SKIP', from as string, extra);
    const res = await post(r.url, body, { ...r.hookHeaders, 'content-type': 'application/json', 'postscript-signature': r.token });
    expect(res.status).toBe(200);
    const st = await c.ok('skip', 'status', { storeId: r.storeId });
    const [row] = (await c.ok('skip', 'inbound', { storeId: r.storeId })).rows;
    expect((await c.ok('outbox', 'status', {})).waiting).toBe(0); // no follow-up queued: the store has it off
    return { action: JSON.parse(res.body).action as string, row, st };
  };

  it('a SKIP from another number is logged as ignored and moves no order', async () => {
    // Guards against matching any sender (e.g. dropping the from_number check): a merchant's real
    // subscriber texting SKIP would move the test subscription, and the tester would show a pass.
    const { action, row, st } = await skipFrom('+15555550199');
    expect(action).toBe('ignored');
    expect(row).toMatchObject({ action: 'ignored' });
    expect(row!.reason).toMatch(/No test subscription here for \+15555550199/);
    expect(st.subscription).toMatchObject({ nextBillingDate: '2030-01-15', skippedCount: 0 });
  });

  it('a SKIP from another number with another subscriber id is ignored too', async () => {
    // Guards against trusting any subscriber_id (rather than the store's test subscriber's).
    const { action, st } = await skipFrom('+15555550199', { subscriber_id: 'sub_somebody_else' });
    expect(action).toBe('ignored');
    expect(st.subscription!.nextBillingDate).toBe('2030-01-15');
  });

  it('the test subscriber’s number written another way still skips', async () => {
    // Guards against comparing the raw from_number instead of the normalized phone.
    const { action, st } = await skipFrom('(555) 555-0100');
    expect(action).toBe('skipped');
    expect(st.subscription).toMatchObject({ nextBillingDate: '2030-02-14', skippedCount: 1 });
  });

  it('the test subscriber opting out with SKIP is not a skip', async () => {
    // Found by mutation testing: dropping the opt-out check passed every test (the simulation's
    // opted-out sender is another number, so the sender check hid it).
    const { action, row, st } = await skipFrom('+15555550100', { is_opt_out: true });
    expect(action).toBe('ignored');
    expect(row!.reason).toMatch(/opted out: an opt-out is never a skip/);
    expect(st.subscription!.nextBillingDate).toBe('2030-01-15');
  });

  it('a message with no text, or a store with no test subscription, moves nothing', async () => {
    // Found by mutation testing: guards against a missing body or subscription being read as a match.
    const { action } = await skipFrom('+15555550100', { body: null });
    expect(action).toBe('ignored');
    const c = await core();
    const s = await c.ok('stores', 'create', { name: 'No Sub', shopDomain: 'no-sub', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const st = await c.ok('skip', 'setup', { storeId: s.id });
    c.core.db.prepare('DELETE FROM test_subscriptions WHERE store_id = ?').run(s.id);
    const shop = c.core.ctx.sandbox.state.shopById(s.postscriptShopId!)!;
    const res = await post(st.callbackUrl!, envelope(shop.id, 'im_nosub'), { ...shop.webhooks[0]!.headers, 'content-type': 'application/json', 'postscript-signature': shop.signingToken });
    expect(JSON.parse(res.body)).toMatchObject({ action: 'ignored' });
  });

  it('a skip logs the dates it moved between, and queues nothing when Next Billing Date Updated is off', async () => {
    // Found by mutation testing: guards against losing the logged dates and against sending the
    // follow-up event for a merchant who did not turn it on (an event to Postscript nobody asked for).
    const { action, row } = await skipFrom('+15555550100');
    expect(action).toBe('skipped');
    expect(row).toMatchObject({ beforeDate: '2030-01-15', afterDate: '2030-02-14' });
    expect(row!.reason).toBe('Skipped the next order: 2030-01-15 → 2030-02-14.');
  });

  it('no number, but the store’s own test subscriber id, skips', async () => {
    // Guards against dropping the subscriber-id path (Postscript may omit from_number).
    const c = await core();
    const r = await ready(c);
    const subscriberId = (await c.ok('stores', 'get', { storeId: r.storeId })).testSubscriberId;
    expect(subscriberId).not.toBeNull();
    const body = envelope(r.shopId, 'im_by_id', 'SKIP', null as unknown as string, { subscriber_id: subscriberId });
    const res = await post(r.url, body, { ...r.hookHeaders, 'content-type': 'application/json', 'postscript-signature': r.token });
    expect(JSON.parse(res.body).action).toBe('skipped');
  });
});

describe('billing reminder preview', () => {
  it('fills the reminder from the test payload and counts SMS segments', async () => {
    const c = await core();
    const { storeId } = await ready(c);
    const p = await c.ok('skip', 'reminderPreview', { storeId });
    expect(p.text).toBe('Your TEST Sample Coffee Beans 12oz subscription will renew in 3 days, on 2030-01-15, for $34.98. Reply SKIP to skip your next order.');
    expect(p).toMatchObject({ encoding: 'GSM-7', segments: 1, characters: p.text.length });
    const emoji = await c.ok('skip', 'reminderPreview', { storeId, template: '☕ Reply {{skipWord}} to skip. '.repeat(4) });
    expect(emoji).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });
});

describe('live registration', () => {
  it('registers an HTTPS tunnel address with Postscript and removes it again', async () => {
    const c = await core();
    const { storeId, shopId } = await ready(c);
    const st = await c.ok('skip', 'register', { storeId, callbackUrl: 'https://tunnel.example.dev/postscript/webhooks/abc' });
    const reg = st.registrations.find((r) => r.callbackUrl === 'https://tunnel.example.dev/postscript/webhooks/abc')!;
    expect(reg.event).toBe('shop.incoming_message');
    const hooks = c.core.ctx.sandbox.state.shopById(shopId)!.webhooks;
    expect(hooks.map((h) => h.id)).toContain(reg.id);
    const after = await c.ok('skip', 'unregister', { storeId, webhookId: reg.id });
    expect(after.registrations.map((r) => r.id)).not.toContain(reg.id);
    expect(c.core.ctx.sandbox.state.shopById(shopId)!.webhooks.map((h) => h.id)).not.toContain(reg.id);
  });

  it('refuses a plain-http address for a live store: Postscript only delivers to HTTPS', async () => {
    const c = await core();
    const { storeId } = await ready(c);
    c.core.db.prepare(`UPDATE stores SET account = 'live' WHERE id = ?`).run(storeId);
    const r = await c.call('skip', 'register', { storeId, callbackUrl: 'http://my-laptop.example/postscript/webhooks' });
    expect(r).toMatchObject({ ok: false, error: { field: 'callbackUrl' } });
    if (!r.ok) expect(r.error.message).toMatch(/only delivers to HTTPS/);
  });
});

describe('one sample subscription', () => {
  it('the SKIP test subscription starts on the next billing date the test payloads carry', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { name: 'Same Date', shopDomain: 'same-date', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const st = await c.ok('skip', 'setup', { storeId: s.id });
    const preview = await c.ok('tests', 'preview', { storeId: s.id, eventKey: 'billing_reminder' });
    expect(st.subscription!.nextBillingDate).toBe(preview.properties.nextBillingDate);
  });
});
