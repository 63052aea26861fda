/** The setup wizard's checks, as the help article asks for them, against the Sandbox. */
import { describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY, DEMO_SHOP_ID } from '../../src-main/sandbox/state';
import { coresPerTest, startCore, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();
const base = { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox' as const };

describe('keyword trigger', () => {
  it('accepts one of the shop’s keywords in any case and stores Postscript’s spelling', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...base, keyword: ' join ', credential: { kind: 'sandbox_new_key' } });
    expect(s.keyword).toBe('JOIN');
  });

  it('refuses an unknown keyword, suggests close ones and creates no store', async () => {
    const c = await core();
    const r = await c.call('stores', 'create', { ...base, keyword: 'COFEECLUB', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    expect(r).toMatchObject({ ok: false, error: { field: 'keyword' } });
    if (!r.ok) expect(r.error.message).toBe('“COFEECLUB” is not a keyword of Demo Coffee Co in Postscript. Did you mean COFFEECLUB? Its keywords: JOIN, COFFEECLUB.');
    expect(await c.ok('stores', 'list', {})).toEqual([]);
  });
});

describe('Test Event User', () => {
  async function store(c: TestCore): Promise<string> {
    return (await c.ok('stores', 'create', { ...base, keyword: 'JOIN', credential: { kind: 'sandbox_new_key' } })).id;
  }

  it('normalises the phone to E.164, finds the subscriber and confirms transactional opt-in', async () => {
    const c = await core();
    const id = await store(c);
    const check = await c.ok('stores', 'setTestUser', { storeId: id, phone: '(555) 555-0100' });
    expect(check).toMatchObject({ status: 'ok', e164: '+15555550100', subscriberId: expect.stringMatching(/^s_/) });
    expect(await c.ok('stores', 'get', { storeId: id })).toMatchObject({ testPhone: '+15555550100', testUserStatus: 'ok' });
  });

  it('says what to do when the phone is not a subscriber: in the Sandbox, choose one of its subscribers (nobody can text it)', async () => {
    const c = await core();
    const id = await store(c);
    const check = await c.ok('stores', 'setTestUser', { storeId: id, phone: '+1 555 555 0199' });
    expect(check.status).toBe('not_found');
    expect(check.message).toBe(
      'The Sandbox has no subscriber with +15555550199, and nobody can text a keyword to the Sandbox to opt in. Choose one of its subscribers: +15555550100 is opted in to transactional texts, +15555550101 is not.',
    );
  });

  it('warns when Postscript will not text the subscriber (no transactional opt-in)', async () => {
    const c = await core();
    const id = await store(c);
    const check = await c.ok('stores', 'setTestUser', { storeId: id, phone: '+15555550101' });
    expect(check.status).toBe('no_transactional');
    expect(check.message).toMatch(/will not send this subscriber transactional texts/);
    expect((await c.ok('stores', 'list', {}))[0]!.setupComplete).toBe(false);
  });

  it('refuses a phone it cannot read', async () => {
    const c = await core();
    const id = await store(c);
    expect(await c.call('stores', 'setTestUser', { storeId: id, phone: 'call me' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'phone' } });
  });
});

describe('events and tests', () => {
  it('is complete only when every enabled event has had a successful test', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...base, keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    expect(s.testUserStatus).toBe('ok');
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'billing_reminder', enabled: true });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_cancelled', enabled: true });
    expect((await c.sendTest(s.id, 'billing_reminder')).item.state).toBe('delivered');
    let summary = (await c.ok('stores', 'list', {}))[0]!;
    expect(summary).toMatchObject({ enabledEvents: 2, testedEvents: 1, setupComplete: false });
    expect((await c.sendTest(s.id, 'subscription_cancelled')).item.state).toBe('delivered');
    summary = (await c.ok('stores', 'list', {}))[0]!;
    expect(summary).toMatchObject({ enabledEvents: 2, testedEvents: 2, setupComplete: true });
    // Without a keyword trigger the same store is not set up.
    const bare = await c.ok('stores', 'create', { ...base, name: 'No Keyword', shopDomain: 'no-keyword', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: bare.id, eventKey: 'billing_reminder', enabled: true });
    expect((await c.sendTest(bare.id, 'billing_reminder')).item.state).toBe('delivered');
    const [row] = await c.ok('stores', 'byIds', { storeIds: [bare.id] });
    expect(row).toMatchObject({ keyword: null, enabledEvents: 1, testedEvents: 1, setupComplete: false });
  });

  it('uses Billing Reminder’s daysBefore in the payload and lets the agent edit values for one send', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...base, testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'billing_reminder', enabled: true, daysBefore: 5 });
    const preview = await c.ok('tests', 'preview', { storeId: s.id, eventKey: 'billing_reminder' });
    expect(preview.properties).toMatchObject({ skioSubscriptionDaysUntilRenewal: 5, domain: 'acme-coffee.myshopify.com' });
    expect(JSON.parse(preview.json)).toMatchObject({ type: 'Skio_BillingReminderNotification', phone: '+15555550100' });

    const item = await c.ok('tests', 'send', { storeId: s.id, eventKey: 'billing_reminder', properties: { productName: 'Decaf', total: 12.5 } });
    expect((await c.settled(item.id)).state).toBe('delivered');
    const received = c.core.ctx.sandbox.state.data.events.at(-1)!.body.properties as Record<string, unknown>;
    expect(received).toMatchObject({ productName: 'Decaf', total: 12.5, skioSubscriptionDaysUntilRenewal: 5 });
    const bad = await c.call('tests', 'send', { storeId: s.id, eventKey: 'billing_reminder', properties: { nope: 1 } });
    expect(bad).toMatchObject({ ok: false, error: { field: 'properties' } });
    expect(await c.call('triggers', 'set', { storeId: s.id, eventKey: 'subscription_renewed', daysBefore: 2 })).toMatchObject({ ok: false });
  });

  it('records SkioSMS coexistence per event', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...base, credential: { kind: 'sandbox_new_key' } });
    const t = await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_renewed', enabled: true, skioSmsAlso: true });
    expect(t).toMatchObject({ enabled: true, skioSmsAlso: true });
  });
});

describe('keys over time', () => {
  it('rotates a key for the same Postscript shop, keeps history, refuses another shop’s key', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...base, testPhone: '+15555550100', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_renewed', enabled: true });
    await c.sendTest(s.id, 'subscription_renewed');
    const newKey = c.core.ctx.sandbox.state.mintKey(DEMO_SHOP_ID);
    const rotated = await c.ok('stores', 'rotateKey', { storeId: s.id, credential: { kind: 'paste', apiKey: newKey } });
    expect(rotated.keyMask).toBe(`sk_…${newKey.slice(-4)}`);
    expect((await c.ok('deliveries', 'list', { filter: { storeId: s.id } })).rows).toHaveLength(1);
    expect((await c.sendTest(s.id, 'subscription_renewed')).attempts[0]!.requestHeaders.authorization).toBe(`Bearer sk_…${newKey.slice(-4)}`);

    const otherShopKey = c.core.ctx.sandbox.state.createShop('Somebody Else').privateKey;
    const r = await c.call('stores', 'rotateKey', { storeId: s.id, credential: { kind: 'paste', apiKey: otherShopKey } });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', field: 'apiKey' } });
    if (!r.ok) expect(r.error.message).toMatch(/belongs to the Postscript shop “Somebody Else”/);
  });

  it('recovers a revoked Sandbox key: an empty key asks for one, a new key for the same shop is accepted', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...base, testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const empty = await c.call('stores', 'rotateKey', { storeId: s.id, credential: { kind: 'paste', apiKey: '  ' } });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'apiKey' } });
    if (!empty.ok) expect(empty.error.message).toMatch(/^Paste the new key/);

    await c.ok('readiness', 'revokeSandboxKey', { storeId: s.id });
    expect((await c.ok('stores', 'checkHealth', { storeId: s.id })).keyStatus).toBe('invalid');
    // "Make a new key and use it": made for the store's own Sandbox shop and saved in main; only its mask comes back.
    const before = s.keyMask;
    const made = await c.call('stores', 'rotateKey', { storeId: s.id, credential: { kind: 'sandbox_new_key' } });
    expect(made.ok).toBe(true);
    expect(JSON.stringify(made)).not.toMatch(/sk_[A-Za-z0-9_]{8,}/);
    const rotated = (made as { ok: true; value: typeof s }).value;
    expect(rotated.keyStatus).toBe('valid');
    expect(rotated.keyMask).not.toBe(before);
    expect(rotated.postscriptShopId).toBe(s.postscriptShopId);

    // Another shop with the same name: told apart by id, not "“Acme Coffee”, not “Acme Coffee”".
    const twin = c.core.ctx.sandbox.state.createShop('Acme Coffee');
    const r = await c.call('stores', 'rotateKey', { storeId: s.id, credential: { kind: 'paste', apiKey: twin.privateKey } });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!r.ok) expect(r.error.message).toContain(`“Acme Coffee” (id ${twin.shop.id}), not this store’s shop “Acme Coffee” (id ${s.postscriptShopId})`);
    // A live store gets no key made here.
    const live = await c.ok('stores', 'create', { name: 'Live', shopDomain: 'live-shop', account: 'live', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY.replace(/.$/, 'x') } });
    expect(await c.call('stores', 'rotateKey', { storeId: live.id, credential: { kind: 'sandbox_new_key' } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('health check notices a key Postscript no longer accepts', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...base, testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const shop = c.core.ctx.sandbox.state.shopById(s.postscriptShopId!)!;
    shop.privateKeys = []; // the merchant revoked the key in Postscript
    const checked = await c.ok('stores', 'checkHealth', { storeId: s.id });
    expect(checked.keyStatus).toBe('invalid');
    expect(checked.setupComplete).toBe(false);
  });

  it('archives and unarchives without losing anything', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { ...base, credential: { kind: 'sandbox_new_key' } });
    await c.ok('stores', 'archive', { storeId: s.id, archived: true });
    expect((await c.ok('stores', 'list', {}))[0]!.archived).toBe(true);
    await c.ok('stores', 'archive', { storeId: s.id, archived: false });
    expect((await c.ok('stores', 'get', { storeId: s.id })).archived).toBe(false);
  });
});

describe('hand-over and drafts', () => {
  it('exports a setup without secrets and imports it on another machine as a draft', async () => {
    const a = await core();
    const s = await a.ok('stores', 'create', { ...base, keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await a.ok('triggers', 'set', { storeId: s.id, eventKey: 'billing_reminder', enabled: true, daysBefore: 7, skioSmsAlso: true });
    const file = await a.ok('stores', 'exportConfig', { storeId: s.id });
    expect(file.filename).toBe('acme-coffee-postscript-setup.json');
    expect(file.json).not.toContain(DEMO_PRIVATE_KEY);
    expect(file.json).not.toContain(DEMO_PRIVATE_KEY.slice(-4)); // not even the mask

    const b = await core(); // another machine: its own data directory
    const draft = await b.ok('wizard', 'importConfig', { json: file.json, fileName: 'acme.json' });
    expect(draft).toMatchObject({ name: 'Acme Coffee', shopDomain: 'acme-coffee.myshopify.com', keyword: 'JOIN', testPhone: '+15555550100', importedFrom: 'acme.json' });
    expect(await b.ok('wizard', 'getDraft', {})).toEqual(draft);
    const created = await b.ok('stores', 'create', { name: draft.name, shopDomain: draft.shopDomain, account: draft.account, keyword: draft.keyword, testPhone: draft.testPhone, triggers: draft.triggers!, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    expect(created.triggers.find((t) => t.eventKey === 'billing_reminder')).toMatchObject({ enabled: true, skioSmsAlso: true, settings: { daysBefore: 7 } });
    expect(created.enabledEvents).toBe(1);
  });

  it('refuses a file that is not a setup file, saying so', async () => {
    const c = await core();
    expect(await c.call('wizard', 'importConfig', { json: '{"hello": 1}', fileName: 'x.json' })).toMatchObject({ ok: false, error: { field: 'file' } });
    expect(await c.call('wizard', 'importConfig', { json: 'not json', fileName: 'x.txt' })).toMatchObject({ ok: false, error: { field: 'file' } });
  });

  it('keeps the new-store draft across a restart, and never the key', async () => {
    const tmp = makeTempDir();
    try {
      const first = await startCore({ dir: tmp.dir });
      await first.ok('wizard', 'saveDraft', { step: 'key', name: 'Half Done', shopDomain: 'half-done.myshopify.com', account: 'live', keyword: 'JOIN', testPhone: '' });
      await first.close();
      const second = await startCore({ dir: tmp.dir });
      try {
        expect(await second.ok('wizard', 'getDraft', {})).toMatchObject({ step: 'key', name: 'Half Done', account: 'live' });
        await second.ok('wizard', 'clearDraft', {});
        expect(await second.ok('wizard', 'getDraft', {})).toBeNull();
      } finally {
        await second.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
