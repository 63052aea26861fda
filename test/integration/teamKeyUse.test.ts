/**
 * A console that cannot use a store's key says so before it sends (issue 18 item 6): a key shared
 * by a teammate is locked until the team passphrase is entered here, and a Sandbox store whose shop
 * a teammate's console made cannot send from this console. Neither is sent, nor logged as failed.
 */
import { describe, expect, it } from 'vitest';
import { lockedKeyReason, missingKeyReason, otherSandboxReason } from '../../src-main/outbox/keyUse';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { coresPerTest, type TestCore } from '../helpers/core';
import { withPostgres, type TestPostgres } from '../helpers/postgres';
import { eventually, join, PASSPHRASE } from '../helpers/teamConsoles';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});

const core = coresPerTest();

/** Ana's store with one event on; returns once Ben's console has it with its key. */
async function anasStore(a: TestCore, b: TestCore, credential: { kind: 'paste'; apiKey: string } | { kind: 'sandbox_new_key' }): Promise<string> {
  const store = await a.ok('stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', testPhone: '+15555550100', credential });
  await a.ok('triggers', 'set', { storeId: store.id, eventKey: 'subscription_created', enabled: true });
  await eventually('Ben to have the store, its key and its event', async () => {
    const s = await b.call('stores', 'get', { storeId: store.id });
    return s.ok && s.value.keyMask !== null && s.value.enabledEvents === 1 ? true : undefined;
  }, 10_000);
  return store.id;
}

const logged = async (c: TestCore, storeId: string): Promise<number> => (await c.ok('deliveries', 'list', { filter: { storeId }, limit: 500 })).rows.length;

describe('a key this console cannot use is refused before sending', () => {
  it('without the passphrase a teammate’s key is locked (not "valid"), and its sends are refused up front; with it, they go', async () => {
    const db = await server.createTeamDb();
    const a = await join(await core({ teamPollMs: 100 }), await db.agentUrlFor('Ana'), 'Ana');
    const b = await join(await core({ teamPollMs: 100 }), await db.agentUrlFor('Ben'), 'Ben', null);
    const storeId = await anasStore(a, b, { kind: 'paste', apiKey: DEMO_PRIVATE_KEY });

    const seen = await b.ok('stores', 'get', { storeId });
    expect(seen.keyStatus).toBe('locked');
    expect(seen.cannotSend).toBe(lockedKeyReason('Acme Coffee'));
    expect((await b.ok('stores', 'list', {})).find((s) => s.id === storeId)?.keyStatus).toBe('locked');
    // At Ana's, who set it, it is valid as before.
    expect((await a.ok('stores', 'get', { storeId })).keyStatus).toBe('valid');

    const before = await logged(b, storeId);
    const send = await b.call('tests', 'send', { storeId, eventKey: 'subscription_created' });
    expect(send.ok).toBe(false);
    if (!send.ok) expect(send.error).toMatchObject({ code: 'secret_unavailable', message: `Not sent. ${lockedKeyReason('Acme Coffee')}` });
    const all = await b.call('tests', 'sendAll', { storeId });
    expect(all.ok).toBe(false);
    const batch = await b.call('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    expect(batch.ok).toBe(false);
    if (!batch.ok) expect(batch.error.message).toBe('Nothing to send: Acme Coffee (its key is locked here: the team passphrase is needed).');
    // Nothing queued, nothing sent, no failed attempt in Ben's log for the team to see.
    expect((await b.ok('outbox', 'status', {})).waiting).toBe(0);
    expect(b.core.ctx.sandbox.state.data.events).toHaveLength(0);
    expect(await logged(b, storeId)).toBe(before);

    await b.ok('team', 'setPassphrase', { passphrase: PASSPHRASE });
    const unlocked = await b.ok('stores', 'get', { storeId });
    expect(unlocked).toMatchObject({ keyStatus: 'valid', cannotSend: null });
    expect((await b.sendTest(storeId, 'subscription_created')).item.state).toBe('delivered');
  }, 60_000);

  it('a store whose key its teammate has not shared yet (no passphrase on their console) cannot send here, and says why', async () => {
    const db = await server.createTeamDb();
    const a = await join(await core({ teamPollMs: 100 }), await db.agentUrlFor('Ana'), 'Ana', null);
    const b = await join(await core({ teamPollMs: 100 }), await db.agentUrlFor('Ben'), 'Ben');
    const store = await a.ok('stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await a.ok('triggers', 'set', { storeId: store.id, eventKey: 'subscription_created', enabled: true });
    const seen = await eventually('Ben to have the store and its event, without its key', async () => {
      const s = await b.call('stores', 'get', { storeId: store.id });
      return s.ok && s.value.enabledEvents === 1 ? s.value : undefined;
    }, 10_000);
    expect(seen).toMatchObject({ keyMask: null, cannotSend: missingKeyReason('Acme Coffee') });
    const send = await b.call('tests', 'send', { storeId: store.id, eventKey: 'subscription_created' });
    expect(send.ok).toBe(false);
    if (!send.ok) expect(send.error.message).toBe(`Not sent. ${missingKeyReason('Acme Coffee')}`);
    expect(await logged(b, store.id)).toBe(0);
  }, 60_000);

  it('after the owner rotates the team key, a console still holding the old one shows the re-encrypted key as locked and refuses its sends', async () => {
    const db = await server.createTeamDb();
    const lead = await join(await core({ teamPollMs: 100 }), db.ownerUrl, 'Lead');
    const a = await join(await core({ teamPollMs: 100 }), await db.agentUrlFor('Ana'), 'Ana');
    const storeId = await anasStore(lead, a, { kind: 'paste', apiKey: DEMO_PRIVATE_KEY });
    expect((await a.ok('stores', 'get', { storeId })).keyStatus).toBe('valid');
    await lead.ok('team', 'rotateKey', { newPassphrase: 'a new passphrase for the rest of us' });
    const locked = await eventually('Ana to get the re-encrypted key', async () => {
      const s = await a.ok('stores', 'get', { storeId });
      return s.keyStatus === 'locked' ? s : undefined;
    }, 10_000);
    expect(locked.cannotSend).toBe(lockedKeyReason('Acme Coffee'));
    const send = await a.call('tests', 'send', { storeId, eventKey: 'subscription_created' });
    expect(send.ok).toBe(false);
    expect(a.core.ctx.sandbox.state.data.events).toHaveLength(0);
  }, 60_000);

  it('a Sandbox store whose shop Ana’s console made says so on Ben’s console, and its sends are refused before they go', async () => {
    const db = await server.createTeamDb();
    const a = await join(await core({ teamPollMs: 100 }), await db.agentUrlFor('Ana'), 'Ana');
    const b = await join(await core({ teamPollMs: 100 }), await db.agentUrlFor('Ben'), 'Ben');
    const storeId = await anasStore(a, b, { kind: 'sandbox_new_key' });

    const seen = await b.ok('stores', 'get', { storeId });
    expect(seen.cannotSend).toBe(otherSandboxReason('Acme Coffee', 'Ana'));
    expect(seen.cannotSend).toMatch(/made in the Sandbox of Ana’s console, which this console cannot reach/);
    const send = await b.call('tests', 'send', { storeId, eventKey: 'subscription_created' });
    expect(send.ok).toBe(false);
    if (!send.ok) expect(send.error.message).toBe(`Not sent. ${otherSandboxReason('Acme Coffee', 'Ana')}`);
    expect(b.core.ctx.sandbox.state.data.events).toHaveLength(0);
    expect(await logged(b, storeId)).toBe(0);
    // On Ana's console the same store sends: its shop is in her Sandbox.
    expect((await a.ok('stores', 'get', { storeId })).cannotSend).toBeNull();
    expect((await a.sendTest(storeId, 'subscription_created')).item.state).toBe('delivered');
  }, 60_000);
});
