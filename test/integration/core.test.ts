/** The main-process services behind the IPC contract, driven as the renderer drives them. */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SKIO_EVENTS } from '../../src-shared/events/catalog';
import { DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY, DEMO_SHOP_ID } from '../../src-main/sandbox/state';
import { coresPerTest, startCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();

const store = { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox' as const, testPhone: '(555) 555-0100' };

describe('adding a store', () => {
  it('validates the key with Postscript, shows the shop name and only a mask of the key', async () => {
    const c = await core();
    const detail = await c.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    expect(detail).toMatchObject({
      name: 'Acme Coffee',
      shopDomain: 'acme-coffee.myshopify.com',
      postscriptShopName: 'Demo Coffee Co',
      postscriptShopId: DEMO_SHOP_ID,
      keyMask: `sk_…${DEMO_PRIVATE_KEY.slice(-4)}`,
      testPhone: '+15555550100',
    });
    expect(detail.triggers.map((t) => t.eventKey)).toEqual(SKIO_EVENTS.map((e) => e.key));
    expect(detail.triggers.every((t) => !t.enabled)).toBe(true);
    expect(await c.ok('stores', 'list', {})).toHaveLength(1);
  });

  it('can make a new Sandbox shop and key without the renderer ever seeing the key', async () => {
    const c = await core();
    const detail = await c.ok('stores', 'create', { ...store, credential: { kind: 'sandbox_new_key' } });
    expect(detail.postscriptShopName).toBe('Acme Coffee');
    const shop = c.core.ctx.sandbox.state.data.shops.find((s) => s.id === detail.postscriptShopId)!;
    const key = shop.privateKeys[0]!;
    expect(detail.keyMask).toBe(`sk_…${key.slice(-4)}`);
    for (const sent of c.sentToRenderer) expect(sent).not.toContain(key);
  });

  it('stores the key encrypted: it appears nowhere in the database files', async () => {
    const c = await core();
    await c.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    const db = new Database(path.join(c.dir, 'console.sqlite3'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    for (const f of fs.readdirSync(c.dir).filter((f) => f.startsWith('console.sqlite3'))) {
      expect(fs.readFileSync(path.join(c.dir, f)).includes(Buffer.from(DEMO_PRIVATE_KEY))).toBe(false);
    }
  });

  it.each([
    ['a public key', { kind: 'paste' as const, apiKey: DEMO_PUBLIC_KEY }, 'public_key', /public key/],
    ['a key Postscript does not know', { kind: 'paste' as const, apiKey: 'sk_wrong_0123456789abcdef' }, 'invalid_key', /refused/],
    ['a malformed key', { kind: 'paste' as const, apiKey: 'not a key' }, 'invalid_key', /sk_/],
  ])('refuses %s with a clear message and leaves no store behind', async (_label, credential, code, message) => {
    const c = await core();
    const r = await c.call('stores', 'create', { ...store, credential });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code, field: 'apiKey' });
      expect(r.error.message).toMatch(message);
    }
    expect(await c.ok('stores', 'list', {})).toEqual([]);
  });

  it('saves the store unchecked when the live host does not answer, keeping what was entered (issue 13)', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = await core({ liveBaseUrl: `http://127.0.0.1:${port}` });
    const created = await c.ok('stores', 'create', { ...store, account: 'live', keyword: 'COFFEE', credential: { kind: 'paste', apiKey: 'sk_live_0123456789abcdef' } });
    expect(created).toMatchObject({ keyStatus: 'unchecked', keyMask: 'sk_…cdef', keyword: 'COFFEE', testUserStatus: 'unchecked', setupComplete: false });
    // The outbox banner says Postscript is out of reach.
    const status = await c.ok('outbox', 'status', {});
    expect(status.online).toBe(false);
    expect(status.offline[0]!.reason).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
  });

  it('flags a key already used by another store: Skio needs its own key', async () => {
    const c = await core();
    await c.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    const r = await c.call('stores', 'create', { ...store, name: 'Other', shopDomain: 'other-shop', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/already used by “Acme Coffee”.*new API key specific to Skio/);
  });

  it('refuses a bad domain or phone before calling Postscript', async () => {
    const c = await core();
    const badDomain = await c.call('stores', 'create', { ...store, shopDomain: 'acme.com', credential: { kind: 'sandbox_new_key' } });
    expect(!badDomain.ok && badDomain.error.field).toBe('shopDomain');
    const badPhone = await c.call('stores', 'create', { ...store, testPhone: '12', credential: { kind: 'sandbox_new_key' } });
    expect(!badPhone.ok && badPhone.error.field).toBe('testPhone');
    expect(c.core.ctx.sandbox.stats.requests).toBe(0);
  });

  it('validates inputs at the boundary with a message naming the field', async () => {
    const c = await core();
    const r = await c.call('stores', 'create', { ...store, name: '', credential: { kind: 'sandbox_new_key' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'name' } });
    const junk = await c.core.router.invoke('stores:create', { nonsense: true });
    expect(junk.ok).toBe(false);
  });
});

describe('send test', () => {
  it('sends the enabled event to the Sandbox and logs the attempt with the key masked', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    const refused = await c.call('tests', 'send', { storeId: s.id, eventKey: 'billing_reminder' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'billing_reminder', enabled: true });
    const { item, attempts } = await c.sendTest(s.id, 'billing_reminder');
    expect(item.state).toBe('delivered');
    expect(attempts).toHaveLength(1);
    const d = attempts[0]!;
    expect(d).toMatchObject({ outcome: 'delivered', responseStatus: 202, postscriptType: 'Skio_BillingReminderNotification', attempt: 1, externalId: item.externalId });
    expect(d.requestHeaders.authorization).toBe(`Bearer sk_…${DEMO_PRIVATE_KEY.slice(-4)}`);
    const body = JSON.parse(d.requestBody) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'Skio_BillingReminderNotification', phone: '+15555550100', external_id: d.externalId });
    expect((body.properties as Record<string, unknown>).domain).toBe('acme-coffee.myshopify.com');

    // The Sandbox now knows the event type, as Postscript's flow builder would.
    const status = await c.ok('sandbox', 'status', {});
    expect(status.eventTypes.map((t) => t.type)).toContain('Skio_BillingReminderNotification');
    const detail = await c.ok('stores', 'get', { storeId: s.id });
    expect(detail.triggers.find((t) => t.eventKey === 'billing_reminder')).toMatchObject({ enabled: true, lastOutcome: 'delivered' });
    expect((await c.ok('deliveries', 'list', { filter: { storeId: s.id } })).rows.map((r) => r.id)).toEqual([d.id]);
    for (const sent of c.sentToRenderer) expect(sent).not.toContain(DEMO_PRIVATE_KEY);
  });

  it('records a dropped connection as uncertain and does not retry it by itself', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...store, credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_renewed', enabled: true });
    await c.ok('sandbox', 'setFaults', { dropRate: 1, remaining: 1 });
    const { item, attempts } = await c.sendTest(s.id, 'subscription_renewed');
    expect(item.state).toBe('uncertain');
    expect(attempts.map((a) => a.outcome)).toEqual(['uncertain']);
    const t = (await c.ok('stores', 'get', { storeId: s.id })).triggers.find((x) => x.eventKey === 'subscription_renewed');
    expect(t).toMatchObject({ lastOutcome: 'uncertain', lastSuccessAt: null, pending: 0 });
  });

  it('announces changes so the renderer can refetch', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...store, credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'card_expiration', enabled: true });
    await c.sendTest(s.id, 'card_expiration');
    await new Promise((r) => setTimeout(r, 300)); // change announcements are coalesced
    const topics = c.sentToRenderer.filter((x) => x.startsWith('{"event"')).map((x) => (JSON.parse(x) as { payload: { topics: string[] } }).payload.topics);
    expect(topics[0]).toEqual(['stores']);
    expect(topics[1]).toEqual(['triggers', 'stores']);
    expect(topics.slice(2).flat()).toEqual(expect.arrayContaining(['outbox', 'deliveries', 'triggers']));
  });
});

describe('restart', () => {
  it('keeps stores, triggers, deliveries and working Sandbox keys across a restart', async () => {
    const tmp = makeTempDir();
    try {
      const first = await startCore({ dir: tmp.dir });
      const s = await first.ok('stores', 'create', { ...store, credential: { kind: 'sandbox_new_key' } });
      await first.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_created', enabled: true });
      await first.sendTest(s.id, 'subscription_created');
      await first.close();

      const second = await startCore({ dir: tmp.dir });
      try {
        const detail = await second.ok('stores', 'get', { storeId: s.id });
        expect(detail.triggers.find((t) => t.eventKey === 'subscription_created')?.enabled).toBe(true);
        const { item } = await second.sendTest(s.id, 'subscription_created');
        expect(item.state).toBe('delivered');
        expect((await second.ok('deliveries', 'list', {})).rows).toHaveLength(2);
      } finally {
        await second.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});

describe('delivery log paging', () => {
  it('pages newest first by key, without gaps or repeats', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...store, credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_renewed', enabled: true });
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await c.sendTest(s.id, 'subscription_renewed')).attempts[0]!.id);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await c.ok('deliveries', 'list', { limit: 3, ...(before === undefined ? {} : { beforeId: before }) });
      seen.push(...page.rows.map((r) => r.id));
      if (page.nextBeforeId === null) break;
      before = page.nextBeforeId;
    }
    expect(seen).toEqual([...ids].reverse());
  });
});
