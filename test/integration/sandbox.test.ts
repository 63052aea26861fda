/** The Sandbox must answer as Postscript does: these go through the app's real client over loopback. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostscriptClient, PostscriptError } from '../../src-main/postscript/client';
import { Sandbox } from '../../src-main/sandbox/server';
import { DEMO_PARTNER_KEY, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, DEMO_SHOP_ID, NO_TRANSACTIONAL_PHONE, OPTED_IN_PHONE } from '../../src-main/sandbox/state';

let sandbox: Sandbox;
let url: string;
beforeAll(async () => {
  sandbox = new Sandbox();
  url = await sandbox.listen();
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.setFaults({ rate429: 0, rate5xx: 0, dropRate: 0, delayMs: 0, remaining: null });
  sandbox.resetRateLimits();
});

const client = (apiKey = DEMO_PRIVATE_KEY): PostscriptClient => new PostscriptClient({ baseUrl: url, auth: { kind: 'shop', apiKey }, timeoutMs: 3000 });

async function failure(p: Promise<unknown>): Promise<PostscriptError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PostscriptError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'Skio_SubscriptionRenewed', phone: OPTED_IN_PHONE, occurred_at: '2026-11-24 10:00:00.000000', properties: { total: 1.5 }, ...overrides };
}

describe('identity and auth', () => {
  it('GET /api/v2/me names the shop of a private key', async () => {
    expect(await client().me()).toEqual({ resource_id: DEMO_SHOP_ID, resource_name: 'Demo Coffee Co', resource_type: 'shop' });
  });

  it('refuses a public (pk_) key, as Postscript does', async () => {
    const err = await failure(client(DEMO_PUBLIC_KEY).me());
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/private/i);
  });

  it('refuses an unknown key with the error envelope', async () => {
    const ex = await client('sk_not_a_real_key_0000000').exchange('GET', '/api/v2/me');
    expect(ex.response?.status).toBe(401);
    expect(JSON.parse(ex.response!.body)).toMatchObject({ success: false, error_message: expect.any(String), error_code: expect.any(Number) });
  });

  it('accepts a partner key with X-Postscript-Shop-Token', async () => {
    const partner = new PostscriptClient({ baseUrl: url, auth: { kind: 'partner', partnerKey: DEMO_PARTNER_KEY, shopToken: DEMO_PRIVATE_KEY } });
    expect((await partner.me()).resource_id).toBe(DEMO_SHOP_ID);
  });
});

describe('rate limit: 15 requests per second per token', () => {
  it('answers the 16th request within a second with 429 and error_code 3002', async () => {
    const c = client();
    const results = await Promise.all(Array.from({ length: 20 }, () => c.exchange('GET', '/api/v2/me')));
    const statuses = results.map((r) => r.response?.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(15);
    const limited = results.filter((r) => r.response?.status === 429);
    expect(limited).toHaveLength(5);
    expect(JSON.parse(limited[0]!.response!.body)).toEqual({ error_code: 3002, error_message: 'Rate limit exceeded', success: false });
  });

  it('limits each token on its own', async () => {
    const other = sandbox.state.createShop('Other').privateKey;
    await Promise.all(Array.from({ length: 15 }, () => client().exchange('GET', '/api/v2/me')));
    expect((await client(other).exchange('GET', '/api/v2/me')).response?.status).toBe(200);
  });
});

describe('POST /api/v2/events', () => {
  it('accepts a valid event with 202 and event_ids, and records it', async () => {
    const ex = await client().createEventExchange(event({ external_id: 'x-1' }) as never);
    expect(ex.response?.status).toBe(202);
    const ids = (JSON.parse(ex.response!.body) as { event_ids: string[] }).event_ids;
    expect(ids).toHaveLength(1);
    expect(sandbox.state.data.events.at(-1)).toMatchObject({ eventId: ids[0], type: 'Skio_SubscriptionRenewed', shopId: DEMO_SHOP_ID });
    expect(sandbox.state.data.eventTypes[DEMO_SHOP_ID]?.Skio_SubscriptionRenewed?.count).toBeGreaterThan(0);
  });

  it('accepts phone numbers in other formats, as Postscript does', async () => {
    expect((await client().createEventExchange(event({ phone: '(555) 555-0100' }) as never)).response?.status).toBe(202);
  });

  it.each([
    ['a type with a space or colon', { type: 'Skio: Billing Reminder' }, /letters/],
    ['no subscriber identifier', { phone: undefined }, /exactly one/],
    ['two subscriber identifiers', { email: 'opted.in@example.com' }, /exactly one/],
    ['a malformed occurred_at', { occurred_at: '2026-11-24T10:00:00Z' }, /occurred_at/],
    ['properties that are not an object', { properties: [1, 2] }, /properties/],
  ])('refuses %s with 400', async (_label, overrides, message) => {
    const ex = await client().createEventExchange(event(overrides) as never);
    expect(ex.response?.status).toBe(400);
    expect(JSON.parse(ex.response!.body).error_message).toMatch(message);
  });

  it('answers 404 for a subscriber the shop does not have', async () => {
    const ex = await client().createEventExchange(event({ phone: '+15555550199' }) as never);
    expect(ex.response?.status).toBe(404);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${url}/api/v2/events`, { method: 'POST', headers: { authorization: `Bearer ${DEMO_PRIVATE_KEY}`, 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
  });
});

describe('subscribers and keywords', () => {
  it('finds a subscriber by phone and reports transactional consent', async () => {
    const yes = await client().findSubscriberByPhone(OPTED_IN_PHONE);
    expect(yes?.subscriptions?.transactional?.can_send).toBe(true);
    const no = await client().findSubscriberByPhone(NO_TRANSACTIONAL_PHONE);
    expect(no?.subscriptions?.transactional?.can_send).toBe(false);
    expect((await client().getSubscriber(no!.id)).phone_number).toBe(NO_TRANSACTIONAL_PHONE);
  });

  it('returns no subscriber for an unknown phone, with page_info', async () => {
    const res = await client().call<{ subscribers: unknown[]; page_info: { page: number; total_pages: number } }>('GET', '/api/v2/subscribers?phone_number__eq=%2B15555550177');
    expect(res).toEqual({ subscribers: [], page_info: { page: 1, total_pages: 1 } });
  });

  it('lists the shop’s keywords', async () => {
    expect((await client().keywords()).map((k) => k.keyword)).toEqual(['JOIN', 'COFFEECLUB']);
  });
});

describe('webhooks', () => {
  it('creates, lists, reads and deletes a subscription; refuses a non-HTTPS public URL', async () => {
    const c = client();
    const bad = await c.exchange('POST', '/api/v2/webhooks', { callback_url: 'http://example.com/hook', event: 'shop.incoming_message' });
    expect(bad.response?.status).toBe(400);
    const hook = await c.createWebhook({ callback_url: 'https://example.com/hook', event: 'shop.incoming_message' });
    expect((await c.listWebhooks()).map((w) => w.id)).toContain(hook.id);
    expect((await c.call<{ id: string }>('GET', `/api/v2/webhooks/${hook.id}`)).id).toBe(hook.id);
    await c.deleteWebhook(hook.id);
    expect((await c.listWebhooks()).map((w) => w.id)).not.toContain(hook.id);
  });

  it('serves an example payload in Postscript’s envelope', async () => {
    const ex = await client().call<Record<string, unknown>>('GET', '/api/v2/webhooks/example?event=shop.incoming_message');
    expect(Object.keys(ex)).toEqual(['webhook_id', 'resource_type', 'resource_id', 'event_time', 'event', 'event_data']);
    expect(Object.keys(ex.event_data as object)).toEqual(['id', 'subscriber_id', 'shop_id', 'is_opt_out', 'shopify_customer_id', 'from_number', 'created_at', 'body']);
  });

  it('test delivery reaches a loopback endpoint with the signing token in Postscript-Signature', async () => {
    const received: Array<{ signature: string | undefined; body: Record<string, unknown> }> = [];
    const receiver = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        received.push({ signature: req.headers['postscript-signature'] as string | undefined, body: JSON.parse(text) as Record<string, unknown> });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const port = (receiver.address() as AddressInfo).port;
    try {
      const c = client();
      const token = await c.webhookSigningToken();
      await c.createWebhook({ callback_url: `http://127.0.0.1:${port}/hook`, event: 'shop.test' });
      const res = await c.exchange('POST', '/api/v2/webhooks/test', { event: 'shop.test' });
      expect(res.response?.status).toBe(202);
      await expect.poll(() => received.length, { timeout: 3000 }).toBe(1);
      expect(received[0]!.signature).toBe(token);
      expect(received[0]!.body.event).toBe('shop.test');
    } finally {
      receiver.close();
    }
  });
});

describe('fault injection', () => {
  it('answers 429 / 3002 to every request while a 429 storm is on, then recovers', async () => {
    sandbox.setFaults({ rate429: 1, remaining: 3 });
    const c = client();
    for (let i = 0; i < 3; i++) {
      const ex = await c.exchange('GET', '/api/v2/me');
      expect(ex.response?.status).toBe(429);
      expect(JSON.parse(ex.response!.body).error_code).toBe(3002);
    }
    expect((await c.exchange('GET', '/api/v2/me')).response?.status).toBe(200);
  });

  it('answers 5xx on request', async () => {
    sandbox.setFaults({ rate5xx: 1, remaining: 1 });
    const ex = await client().exchange('GET', '/api/v2/me');
    expect([500, 502, 503]).toContain(ex.response?.status);
  });

  it('drops the connection after the request was sent: the client calls it uncertain, not failed-before-sending', async () => {
    sandbox.setFaults({ dropRate: 1, remaining: 1 });
    const ex = await client().exchange('POST', '/api/v2/events', event());
    expect(ex.response).toBeNull();
    expect(ex.failure).toMatchObject({ sent: true });
  });

  it('delays answers, and the client times out as uncertain', async () => {
    sandbox.setFaults({ delayMs: 400, remaining: 1 });
    const slow = new PostscriptClient({ baseUrl: url, auth: { kind: 'shop', apiKey: DEMO_PRIVATE_KEY }, timeoutMs: 100 });
    const ex = await slow.exchange('GET', '/api/v2/me');
    expect(ex.failure).toMatchObject({ kind: 'timeout', sent: true });
  });

  it('a closed port is a connection failure: nothing was sent', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = new PostscriptClient({ baseUrl: `http://127.0.0.1:${port}`, auth: { kind: 'shop', apiKey: DEMO_PRIVATE_KEY } });
    const ex = await c.exchange('GET', '/api/v2/me');
    expect(ex.failure).toMatchObject({ kind: 'connect', sent: false });
  });
});

describe('control API', () => {
  it('creates a shop with its own key and reports received event types', async () => {
    const res = await fetch(`${url}/_sandbox/shops`, { method: 'POST', body: JSON.stringify({ name: 'Batch Shop' }) });
    const shop = (await res.json()) as { shop_id: string; api_key: string };
    expect((await client(shop.api_key).me()).resource_name).toBe('Batch Shop');
    await client(shop.api_key).createEventExchange(event({ type: 'Skio_CardExpirationNotification' }) as never);
    const state = (await (await fetch(`${url}/_sandbox/state`)).json()) as { eventTypes: Record<string, Record<string, { count: number }>> };
    expect(state.eventTypes[shop.shop_id]?.Skio_CardExpirationNotification?.count).toBe(1);
  });
});
