/**
 * The per-store webhook secret: each webhook the app registers carries a random secret header,
 * Postscript (the Sandbox) sends it back on every delivery, and the listener requires it beside
 * Postscript-Signature; missing or wrong is refused. The secret is stored encrypted, never shown.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { SECRET_HEADER } from '../../src-main/webhooks/storeSecret';
import { coresPerTest, type TestCore } from '../helpers/core';

const core = coresPerTest();

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

function envelope(shopId: string, id: string): string {
  return JSON.stringify({
    webhook_id: 'wh_test',
    resource_type: 'shop',
    resource_id: shopId,
    event_time: '2026-11-24T10:00:00.000000',
    event: 'shop.incoming_message',
    event_data: { id, subscriber_id: null, shop_id: shopId, is_opt_out: false, shopify_customer_id: null, from_number: '+15555550100', created_at: '2026-11-24T10:00:00', body: 'SKIP' },
  });
}

async function ready(c: TestCore): Promise<{ storeId: string; shopId: string; url: string; token: string }> {
  const s = await c.ok('stores', 'create', { name: 'Secret Shop', shopDomain: 'secret-shop', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
  const st = await c.ok('skip', 'setup', { storeId: s.id });
  await c.ok('skip', 'setSubscription', { storeId: s.id, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });
  const shop = c.core.ctx.sandbox.state.shopById(s.postscriptShopId!)!;
  return { storeId: s.id, shopId: shop.id, url: st.callbackUrl!, token: shop.signingToken };
}

describe('per-store webhook secret', () => {
  it('each registration carries the store\'s random secret header; it is stored encrypted and never reaches the renderer', async () => {
    const c = await core();
    const { storeId, shopId } = await ready(c);
    await c.ok('skip', 'register', { storeId, callbackUrl: 'https://tunnel.example.dev/postscript/webhooks/x' });
    const hooks = c.core.ctx.sandbox.state.shopById(shopId)!.webhooks;
    expect(hooks).toHaveLength(2);
    const secrets = hooks.map((h) => h.headers[SECRET_HEADER]);
    expect(secrets[0]).toMatch(/^[\w-]{40,}$/);
    expect(secrets[1]).toBe(secrets[0]); // one secret per store
    const row = c.core.db.prepare('SELECT ciphertext FROM webhook_secrets WHERE store_id = ?').get(storeId) as { ciphertext: Buffer };
    expect(row.ciphertext.toString('latin1')).not.toContain(secrets[0]);
    for (const sent of c.sentToRenderer) expect(sent).not.toContain(secrets[0]);
  });

  it('a delivery from Postscript (the Sandbox echoes the header) is accepted', async () => {
    const c = await core();
    const { storeId } = await ready(c);
    const r = await c.ok('skip', 'simulate', { storeId, variant: 'skip' });
    expect(r.statuses).toEqual([200]);
    expect(r.after).toBe('2030-02-14');
  });

  it.each([
    ['missing', undefined, /No x-console-webhook-secret header/],
    ['wrong', 'not-the-secret', /does not match this store/],
  ])('the secret header %s: refused (401) even with a valid Postscript-Signature, nothing skipped', async (_label, given, reason) => {
    const c = await core();
    const { storeId, shopId, url, token } = await ready(c);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'postscript-signature': token };
    if (given !== undefined) headers[SECRET_HEADER] = given;
    const res = await post(url, envelope(shopId, `im_${_label}`), headers);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).reason).toMatch(reason);
    expect((await c.ok('skip', 'status', { storeId })).subscription!.nextBillingDate).toBe('2030-01-15');
    // With the right header the same delivery goes through.
    const secret = c.core.ctx.sandbox.state.shopById(shopId)!.webhooks[0]!.headers[SECRET_HEADER]!;
    const ok = await post(url, envelope(shopId, `im_${_label}`), { ...headers, [SECRET_HEADER]: secret });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).action).toBe('skipped');
  });

  it('a store with no registration needs no secret; removing the last registration forgets it', async () => {
    const c = await core();
    const { storeId, shopId, url, token } = await ready(c);
    const st = await c.ok('skip', 'status', { storeId });
    for (const r of st.registrations) await c.ok('skip', 'unregister', { storeId, webhookId: r.id });
    expect(c.core.db.prepare('SELECT COUNT(*) AS n FROM webhook_secrets').get()).toEqual({ n: 0 });
    const res = await post(url, envelope(shopId, 'im_plain'), { 'content-type': 'application/json', 'postscript-signature': token });
    expect(res.status).toBe(200);
  });
});
