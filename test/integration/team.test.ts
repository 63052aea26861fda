/**
 * Team mode end to end against a real PostgreSQL started here: two consoles (two data dirs, two
 * cores) share one team database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { TEAM_SCHEMA } from '../../src-main/team/pgMigrations';
import { coresPerTest, type TestCore } from '../helpers/core';
import { startPostgres, type TestPostgres } from '../helpers/postgres';

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server.close();
});

const core = coresPerTest();
const PASSPHRASE = 'correct horse battery staple';
const store = { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox' as const, testPhone: '(555) 555-0100' };

async function eventually<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function teammate(url: string, name: string, passphrase: string | null = PASSPHRASE): Promise<TestCore> {
  const c = await core({ teamPollMs: 60_000 });
  await c.ok('team', 'configure', { url, tlsMode: 'disable', caFile: null, agentName: name });
  await eventually(`${name} connected`, async () => (await c.ok('team', 'status', {})).state === 'connected' || undefined);
  if (passphrase !== null) await c.ok('team', 'setPassphrase', { passphrase });
  return c;
}

describe('two consoles share one team database', () => {
  it('B sees the store A set up within 2 s, and sends a test with the shared key once its passphrase is entered', async () => {
    const db = await server.createTeamDb();
    const a = await teammate(db.agentUrl, 'Ana');
    const b = await teammate(db.agentUrl, 'Ben', null);
    const created = await a.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await a.ok('triggers', 'set', { storeId: created.id, eventKey: 'subscription_created', enabled: true });
    // The promise: an online teammate sees it within 2 seconds (NOTIFY wakes B's pull).
    const seen = await eventually('B to see the store', async () => (await b.ok('stores', 'list', {})).find((s) => s.id === created.id), 2000);
    expect(seen).toMatchObject({ name: 'Acme Coffee', shopDomain: 'acme-coffee.myshopify.com', keyMask: created.keyMask });
    const activity = await b.ok('team', 'storeActivity', {});
    expect(activity.find((x) => x.storeId === created.id)).toMatchObject({ createdBy: 'Ana', createdByMe: false, lastBy: 'Ana' });

    // Without the passphrase the shared key stays locked: the send fails and says why.
    const locked = await b.sendTest(created.id, 'subscription_created');
    expect(locked.item.state).toBe('failed');
    await b.ok('team', 'setPassphrase', { passphrase: PASSPHRASE });
    const sent = await b.sendTest(created.id, 'subscription_created');
    expect(sent.item.state).toBe('delivered');

    // B's attempt reaches A's log, marked with B; A's outbox never sent B's item.
    const row = await eventually('A to see B’s attempt', async () =>
      (await a.ok('deliveries', 'list', { filter: { storeId: created.id } })).rows.find((r) => r.outcome === 'delivered'));
    expect(row.externalId).toBe(sent.item.externalId);
    expect(a.core.ctx.outbox.getItem(sent.item.id)?.externalId).not.toBe(sent.item.externalId);
  });

  it('refuses a wrong passphrase, says so, and decrypts nothing', async () => {
    const db = await server.createTeamDb();
    const a = await teammate(db.agentUrl, 'Ana');
    const created = await a.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    const b = await teammate(db.agentUrl, 'Ben', null);
    await eventually('B to see the store', async () => (await b.ok('stores', 'list', {})).find((s) => s.id === created.id));
    const r = await b.call('team', 'setPassphrase', { passphrase: 'not the passphrase' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/not your team’s passphrase.*Nothing was decrypted/);
    expect((await b.ok('team', 'status', {})).unlocked).toBe(false);
    const cred = b.core.ctx.repo.getCredential(created.id)!;
    expect(b.core.ctx.secrets.decrypt(cred.scheme, cred.ciphertext)).toBeNull();
  });

  it('a dump of every team table contains no sk_ key and no signing token', async () => {
    const db = await server.createTeamDb();
    const a = await teammate(db.agentUrl, 'Ana');
    const created = await a.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await a.ok('skip', 'setup', { storeId: created.id });
    const token = a.core.ctx.webhooks.getToken(created.id);
    expect(token).toBeDefined();
    const plainToken = a.core.ctx.secrets.decrypt(token!.scheme, token!.ciphertext)!;
    expect(plainToken.length).toBeGreaterThan(8);
    await eventually('everything pushed', async () => (await a.ok('team', 'status', {})).pending === 0 || undefined);
    const su = new pg.Client({ connectionString: db.superUrl });
    await su.connect();
    try {
      const tables = (await su.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '${TEAM_SCHEMA}'`)).rows;
      let dump = '';
      for (const { t } of tables) dump += JSON.stringify((await su.query(`SELECT * FROM ${TEAM_SCHEMA}.${t}`)).rows);
      expect(dump).toContain(created.id); // the dump does hold the store
      expect(dump).toContain('webhook_token');
      expect(dump).not.toContain('sk_sandbox');
      expect(dump).not.toMatch(/sk_[A-Za-z0-9]/);
      expect(dump).not.toContain(plainToken);
      expect(dump).not.toContain(Buffer.from(plainToken).toString('hex'));
    } finally {
      await su.end();
    }
  });
});
