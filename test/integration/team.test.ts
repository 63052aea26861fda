/**
 * Team mode end to end against a real PostgreSQL started here: two consoles (two data dirs, two
 * cores) share one team database.
 */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { TEAM_SCHEMA } from '../../src-main/team/pgMigrations';
import { pullOnce } from '../../src-main/team/pull';
import { pushOnce } from '../../src-main/team/push';
import { openTeamKey } from '../../src-main/team/keyEnvelope';
import { TeamSecretBox } from '../../src-main/team/teamKey';
import { coresPerTest, type TestCore } from '../helpers/core';
import { withPostgres, type TestPostgres } from '../helpers/postgres';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
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
    const a = await teammate(await db.agentUrlFor('Ana'), 'Ana');
    const b = await teammate(await db.agentUrlFor('Ben'), 'Ben', null);
    const created = await a.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await a.ok('triggers', 'set', { storeId: created.id, eventKey: 'subscription_created', enabled: true });
    // The promise: an online teammate sees it within 2 seconds (NOTIFY wakes B's pull).
    const seen = await eventually('B to see the store', async () => (await b.ok('stores', 'list', {})).find((s) => s.id === created.id), 2000);
    expect(seen).toMatchObject({ name: 'Acme Coffee', shopDomain: 'acme-coffee.myshopify.com', keyMask: created.keyMask });
    const activity = await b.ok('team', 'storeActivity', {});
    expect(activity.find((x) => x.storeId === created.id)).toMatchObject({ createdBy: 'Ana', createdByMe: false, lastBy: 'Ana' });

    await eventually('B to see the event turned on', async () =>
      (await b.ok('stores', 'get', { storeId: created.id })).triggers.find((t) => t.eventKey === 'subscription_created' && t.enabled));
    // Without the passphrase the shared key stays locked: the send is refused before it is queued, saying why.
    const locked = await b.call('tests', 'send', { storeId: created.id, eventKey: 'subscription_created' });
    expect(locked.ok).toBe(false);
    if (!locked.ok) expect(locked.error.message).toMatch(/shared by a teammate and is locked on this console until the team passphrase is entered/);
    await b.ok('team', 'setPassphrase', { passphrase: PASSPHRASE });
    const sent = await b.sendTest(created.id, 'subscription_created');
    expect(sent.item.state).toBe('delivered');

    // B's attempt reaches A's log once, marked as a teammate's; A's outbox never sent B's item.
    const row = await eventually('A to see B’s attempt', async () =>
      (await a.ok('deliveries', 'list', { filter: { storeId: created.id } })).rows.find((r) => r.outcome === 'delivered'));
    expect(row.externalId).toBe(sent.item.externalId);
    expect(row.agentId).not.toBeNull();
    const aLog = (await a.ok('deliveries', 'list', { filter: { storeId: created.id } })).rows;
    expect(aLog.filter((r) => r.externalId === sent.item.externalId)).toHaveLength(1);
    // A never queued anything for this store: had sync copied B's item into A's outbox, A would send it again.
    expect(a.core.db.prepare('SELECT count(*) AS n FROM outbox WHERE store_id = ?').get(created.id)).toEqual({ n: 0 });
  });

  it('refuses a wrong passphrase, says so, and decrypts nothing', async () => {
    const db = await server.createTeamDb();
    const a = await teammate(await db.agentUrlFor('Ana'), 'Ana');
    const created = await a.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    const b = await teammate(await db.agentUrlFor('Ben'), 'Ben', null);
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
    const a = await teammate(await db.agentUrlFor('Ana'), 'Ana');
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

  it('both edit the same store while the database is down; after reconnecting both end in the same state', async () => {
    const db = await server.createTeamDb();
    const a = await teammate(await db.agentUrlFor('Ana'), 'Ana');
    const b = await teammate(await db.agentUrlFor('Ben'), 'Ben');
    const created = await a.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await eventually('B to see the store', async () => (await b.ok('stores', 'list', {})).find((s) => s.id === created.id));

    await server.stop();
    try {
      await a.ok('stores', 'setStep', { storeId: created.id, step: 'events' });
      await a.ok('triggers', 'set', { storeId: created.id, eventKey: 'billing_reminder', enabled: true, daysBefore: 3 });
      await a.ok('skip', 'setSkipWord', { storeId: created.id, word: 'PAUSE' });
      await new Promise((r) => setTimeout(r, 5)); // B's edits are the later ones
      await b.ok('stores', 'setStep', { storeId: created.id, step: 'test' });
      await b.ok('triggers', 'set', { storeId: created.id, eventKey: 'billing_reminder', daysBefore: 5 });
      await b.ok('triggers', 'set', { storeId: created.id, eventKey: 'card_expiration', enabled: true });
      // Both keep working; the status says offline and how much waits to go up.
      const down = await eventually('A to notice', async () => {
        const s = await a.ok('team', 'status', {});
        return s.state === 'offline' ? s : undefined;
      });
      expect(down.offlineSince).not.toBeNull();
      expect(down.message, down.message ?? '').toMatch(/closed the connection|Nothing answers|cannot be reached/);
      expect(down.pending).toBeGreaterThan(0);
    } finally {
      await server.start();
    }
    for (const c of [a, b]) await c.ok('team', 'reconnect', {});
    const settled = async (c: TestCore) => {
      const s = await c.ok('team', 'status', {});
      return s.state === 'connected' && s.pending === 0 ? s : undefined;
    };
    await eventually('A synced', () => settled(a), 15_000);
    await eventually('B synced', () => settled(b), 15_000);
    const view = async (c: TestCore) => {
      const d = await c.ok('stores', 'get', { storeId: created.id });
      const skip = await c.ok('skip', 'status', { storeId: created.id });
      return { step: d.setupStep, triggers: d.triggers.map((t) => [t.eventKey, t.enabled, t.settings]), skipWord: skip.skipWord };
    };
    await eventually('the same state on both', async () => JSON.stringify(await view(a)) === JSON.stringify(await view(b)) || undefined, 5000);
    const final = await view(a);
    expect(final.step).toBe('test'); // same field: the later writer wins
    expect(final.skipWord).toBe('PAUSE'); // different fields merge
    expect(final.triggers).toContainEqual(['billing_reminder', true, { daysBefore: 5 }]);
    expect(final.triggers).toContainEqual(['card_expiration', true, {}]);
    const history = await a.ok('team', 'storeHistory', { storeId: created.id });
    expect(history.find((h) => h.field === 'setup_step')).toMatchObject({ agent: 'Ben' });
    expect(history.find((h) => h.field === 'skip_word')).toMatchObject({ agent: 'Ana' });
  }, 60_000);

  it('two pushes whose transactions commit in the opposite order of their ids both reach B', async () => {
    const db = await server.createTeamDb();
    const b = await teammate(await db.agentUrlFor('Ben'), 'Ben', null);
    const hlc = (n: number) => `${Date.now().toString(16).padStart(12, '0')}-${n.toString(16).padStart(8, '0')}-feedfacecafebeef`;
    const storeChange = (n: number) => [
      hlc(n), 'feedfacecafebeef', 'store', `late-${n}`,
      JSON.stringify({ id: `late-${n}`, name: `Late ${n}`, shop_domain: `late-shop-${n}.myshopify.com`, account: 'sandbox', created_at: new Date().toISOString() }),
    ];
    const insert = `INSERT INTO ${TEAM_SCHEMA}.changes (change_id, agent_id, entity, row_id, payload) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id`;
    const first = new pg.Client({ connectionString: db.agentUrl });
    const second = new pg.Client({ connectionString: db.agentUrl });
    await first.connect();
    await second.connect();
    try {
      await first.query('BEGIN');
      const id1 = Number((await first.query(insert, storeChange(1))).rows[0].id);
      await second.query('BEGIN');
      const id2 = Number((await second.query(insert, storeChange(2))).rows[0].id);
      expect(id1).toBeLessThan(id2);
      await second.query('COMMIT'); // the higher id commits first
      // B pulls while the lower id is still in flight (a bare id cursor would now pass it by).
      const before = (await b.ok('team', 'status', {})).lastSyncAt;
      b.core.ctx.team.worker.wake();
      await eventually('B to pull', async () => (await b.ok('team', 'status', {})).lastSyncAt !== before || undefined);
      await first.query('COMMIT');
    } finally {
      await first.end();
      await second.end();
    }
    const names = await eventually('both stores at B', async () => {
      const list = (await b.ok('stores', 'list', {})).map((s) => s.name);
      return list.includes('Late 1') && list.includes('Late 2') ? list : undefined;
    });
    expect(names).toEqual(expect.arrayContaining(['Late 1', 'Late 2']));
  });

  it('a teammate row that fails validation is reported in the status and holds nothing else back', async () => {
    const db = await server.createTeamDb();
    const b = await teammate(await db.agentUrlFor('Ben'), 'Ben', null);
    const agent = new pg.Client({ connectionString: db.agentUrl });
    await agent.connect();
    try {
      const at = Date.now().toString(16).padStart(12, '0');
      await agent.query(`INSERT INTO ${TEAM_SCHEMA}.changes (change_id, agent_id, entity, row_id, payload) VALUES
        ($1, 'badbadbadbadbad1', 'store', 'bad', '{"id":"bad","name":"Bad","shop_domain":"not a domain","account":"sandbox"}'),
        ($2, 'badbadbadbadbad1', 'store', 'good', '{"id":"good","name":"Good","shop_domain":"good-shop.myshopify.com","account":"sandbox"}')`,
      [`${at}-00000001-badbadbadbadbad1`, `${at}-00000002-badbadbadbadbad1`]);
    } finally {
      await agent.end();
    }
    const status = await eventually('the rejection to show', async () => {
      const s = await b.ok('team', 'status', {});
      return s.rejected > 0 ? s : undefined;
    });
    expect(status.lastRejected).toMatch(/not applied: store field "shop_domain" is not a valid myshopify domain/);
    expect((await b.ok('stores', 'list', {})).map((s) => s.name)).toEqual(['Good']);
  });

  it('a push that dies after PostgreSQL committed but before it was forgotten here goes up again and inserts nothing twice', async () => {
    const db = await server.createTeamDb();
    const a = await core({ teamPollMs: 60_000 });
    const { sync } = a.core.ctx;
    sync.enable();
    await a.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    const waiting = sync.pending().total;
    expect(waiting).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: db.agentUrl });
    await client.connect();
    try {
      const team = new TeamSecretBox();
      const opened = await openTeamKey(client, PASSPHRASE); // the team's first key version
      team.setKey(opened.key, opened.version);
      const deps = { sync, secrets: a.core.ctx.secrets, team, agentId: sync.agentId() };
      const died = pushOnce(client, { ...deps, afterCommit: () => { throw new Error('killed'); } });
      await expect(died).rejects.toThrow('killed');
      const count = async () => Number((await client.query(`SELECT count(*) AS n FROM ${TEAM_SCHEMA}.changes`)).rows[0].n);
      expect(await count()).toBe(waiting); // in PostgreSQL...
      expect(sync.pending().total).toBe(waiting); // ...and still waiting here
      while ((await pushOnce(client, deps)) > 0);
      expect(await count()).toBe(waiting); // the retry inserted nothing
      expect(sync.pending().total).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('a teammate’s queued and in-flight sends are visible and never sent by another console; logs and batches filter by agent', async () => {
    const db = await server.createTeamDb();
    const a = await teammate(await db.agentUrlFor('Ana'), 'Ana');
    const b = await teammate(await db.agentUrlFor('Ben'), 'Ben');
    const created = await a.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await a.ok('triggers', 'set', { storeId: created.id, eventKey: 'subscription_created', enabled: true });
    await eventually('B to see the store', async () => (await b.ok('stores', 'get', { storeId: created.id }).catch(() => undefined))?.triggers.some((t) => t.enabled));
    a.core.ctx.sandbox.setFaults({ delayMs: 1500 }); // A's send stays in flight for a while
    const queued = await a.ok('tests', 'send', { storeId: created.id, eventKey: 'subscription_created' });
    const seen = await eventually('B to see A’s send waiting', async () => (await b.ok('team', 'teammatesOutbox', {})).find((o) => o.externalId === queued.externalId));
    expect(seen).toMatchObject({ agent: 'Ana', storeId: created.id });
    const item = await a.settled(queued.id);
    expect(item.state).toBe('delivered');
    const row = await eventually('B to log A’s attempt', async () => (await b.ok('deliveries', 'list', { filter: { storeId: created.id } })).rows[0]);
    // B never queued nor sent it: its outbox is empty and its Sandbox received nothing.
    expect((await b.ok('outbox', 'status', {})).waiting).toBe(0);
    expect(b.core.ctx.sandbox.state.data.events.some((e) => String(e.body.external_id) === queued.externalId)).toBe(false);
    expect(a.core.ctx.sandbox.state.data.events.filter((e) => String(e.body.external_id) === queued.externalId)).toHaveLength(1);
    await eventually('B’s teammates’ queue to empty', async () => (await b.ok('team', 'teammatesOutbox', {})).length === 0 || undefined);

    const anaId = (await a.ok('team', 'status', {})).agentId;
    expect(row.agentId).toBe(anaId);
    expect((await b.ok('deliveries', 'list', { filter: { agent: anaId } })).rows.map((r) => r.externalId)).toEqual([queued.externalId]);
    expect((await b.ok('deliveries', 'list', { filter: { agent: 'me' } })).rows).toEqual([]);

    a.core.ctx.sandbox.setFaults({ delayMs: 0 });
    const { batch } = await a.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    const theirs = await eventually('B to see A’s batch', async () => (await b.ok('batches', 'list', {})).find((x) => x.id === batch.id));
    expect(theirs.agentId).toBe(anaId);
    const refused = await b.call('batches', 'pause', { batchId: batch.id });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/belongs to a teammate/);
    // Its items and report, as A's console reports them.
    await a.settled((await a.ok('batches', 'items', { batchId: batch.id })).rows[0]!.id);
    const aItems = (await a.ok('batches', 'items', { batchId: batch.id })).rows;
    const bItems = await eventually('B to see the items finish', async () => {
      const rows = (await b.ok('batches', 'items', { batchId: batch.id })).rows;
      return rows.length === aItems.length && rows.every((r) => r.state === 'delivered') ? rows : undefined;
    });
    expect(bItems.map((r) => r.externalId)).toEqual(aItems.map((r) => r.externalId));
    expect((await b.ok('batches', 'exportCsv', { batchId: batch.id })).csv).toContain(aItems[0]!.externalId);
  });

  it('pulls page after page in commit order, past ids of more digits, and a second pull of the same rows changes nothing', async () => {
    const db = await server.createTeamDb();
    const a = await teammate(await db.agentUrlFor('Ana'), 'Ana');
    for (let i = 0; i < 3; i++) {
      await a.ok('stores', 'create', { name: `Shop ${i}`, shopDomain: `paged-shop-${i}`, account: 'sandbox', credential: { kind: 'sandbox_new_key' } });
    }
    await eventually('A pushed', async () => (await a.ok('team', 'status', {})).pending === 0 || undefined);
    const b = await core();
    const { sync } = b.core.ctx;
    const client = new pg.Client({ connectionString: db.agentUrl });
    await client.connect();
    try {
      let pages = 0;
      for (;;) {
        pages++;
        if (!(await pullOnce(client, sync, sync.agentId(), 4)).more) break; // 4 rows a page: ids 1..9, then 10, 11, ...
      }
      expect(pages).toBeGreaterThan(9);
      const view = async (c: TestCore) => (await c.ok('stores', 'list', {})).map((s) => [s.id, s.name, s.enabledEvents, s.keyMask]);
      expect(await view(b)).toEqual(await view(a));
      // Pulling everything again from the start takes effect once.
      const before = JSON.stringify(await view(b));
      b.core.db.prepare(`UPDATE sync_state SET changes_xid = '0', changes_id = 0`).run();
      for (;;) if (!(await pullOnce(client, sync, sync.agentId(), 4)).more) break;
      expect(JSON.stringify(await view(b))).toBe(before);
      expect(sync.rejectedCount()).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('a cursor that drifted past rows it never applied is noticed on connect and the history is read again', async () => {
    const db = await server.createTeamDb();
    const a = await teammate(await db.agentUrlFor('Ana'), 'Ana');
    const b = await teammate(await db.agentUrlFor('Ben'), 'Ben', null);
    const first = await a.ok('stores', 'create', { name: 'First', shopDomain: 'first-shop', account: 'sandbox', credential: { kind: 'sandbox_new_key' } });
    await eventually('B to see the first store', async () => (await b.ok('stores', 'list', {})).find((s) => s.id === first.id));
    await b.core.ctx.team.worker.stop();
    const second = await a.ok('stores', 'create', { name: 'Second', shopDomain: 'second-shop', account: 'sandbox', credential: { kind: 'sandbox_new_key' } });
    await eventually('A pushed', async () => (await a.ok('team', 'status', {})).pending === 0 || undefined);
    // B's cursor jumps past A's new rows without having applied them (what a bug would do).
    const su = new pg.Client({ connectionString: db.superUrl });
    await su.connect();
    const last = (await su.query(`SELECT xid::text AS xid, id FROM ${TEAM_SCHEMA}.changes ORDER BY xid DESC, id DESC LIMIT 1`)).rows[0];
    await su.end();
    b.core.db.prepare(`UPDATE sync_state SET changes_xid = ?, changes_id = ?`).run(last.xid, Number(last.id));
    await b.ok('team', 'configure', { url: await db.agentUrlFor('Ben'), tlsMode: 'disable', caFile: null, agentName: 'Ben' });
    await eventually('B to see the second store', async () => (await b.ok('stores', 'list', {})).find((s) => s.id === second.id));
    expect((await b.ok('team', 'status', {})).message).toMatch(/reading the team database again/);
    expect(b.core.ctx.sync.rejectedCount()).toBe(0);
  });

  it('inbound webhooks, the SKIP word and the test subscription reach a teammate', async () => {
    const db = await server.createTeamDb();
    const a = await teammate(await db.agentUrlFor('Ana'), 'Ana');
    const b = await teammate(await db.agentUrlFor('Ben'), 'Ben');
    const created = await a.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await a.ok('skip', 'setup', { storeId: created.id });
    await a.ok('skip', 'setSkipWord', { storeId: created.id, word: 'PAUSE' });
    const sim = await a.ok('skip', 'simulate', { storeId: created.id, variant: 'skip' });
    // The SKIP happened on A: acted on, and the test subscription's next order moved.
    expect(sim.rows.map((r) => r.action)).toContain('skipped');
    expect(sim.before).not.toBeNull();
    expect(sim.after).not.toBe(sim.before);
    const aSkip = await a.ok('skip', 'status', { storeId: created.id });
    expect(aSkip.subscription).toMatchObject({ nextBillingDate: sim.after, skippedCount: 1 });
    const inbound = await eventually('B to see A’s inbound webhook', async () => {
      const rows = (await b.ok('skip', 'inbound', { storeId: created.id }).catch(() => undefined))?.rows ?? [];
      return rows.length >= sim.rows.length ? rows : undefined;
    });
    expect(inbound.map((r) => r.action).sort()).toEqual(sim.rows.map((r) => r.action).sort());
    const bSkip = await eventually('B to have A’s test subscription', async () => {
      const st = await b.ok('skip', 'status', { storeId: created.id });
      return st.subscription?.nextBillingDate === aSkip.subscription?.nextBillingDate ? st : undefined;
    });
    expect(bSkip.skipWord).toBe('PAUSE');
    expect(bSkip.subscription).toMatchObject({ nextBillingDate: sim.after, skippedCount: 1 });
  });

  it('a console that worked alone takes its stores and history along when it joins, and again when it joins another team database', async () => {
    const solo = await core({ teamPollMs: 60_000 });
    const created = await solo.ok('stores', 'create', { ...store, credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await solo.ok('triggers', 'set', { storeId: created.id, eventKey: 'subscription_created', enabled: true });
    const sent = await solo.sendTest(created.id, 'subscription_created');
    expect(sent.item.state).toBe('delivered');
    const count = async (url: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const q = async (sql: string) => Number((await c.query(sql)).rows[0].n);
        return {
          stores: await q(`SELECT count(DISTINCT row_id) AS n FROM ${TEAM_SCHEMA}.changes WHERE entity = 'store'`),
          attempts: await q(`SELECT count(*) AS n FROM ${TEAM_SCHEMA}.deliveries`),
        };
      } finally {
        await c.end();
      }
    };
    let joined = 0;
    for (const db of [await server.createTeamDb(), await server.createTeamDb()]) {
      await solo.ok('team', 'configure', { url: await db.agentUrlFor('Solo'), tlsMode: 'disable', caFile: null, agentName: 'Solo' });
      if (joined++ > 0) {
        // Another team's database: it asks first, and starts over there once confirmed.
        await eventually('the question', async () => (await solo.ok('team', 'status', {})).otherTeam ?? undefined);
        await solo.ok('team', 'confirmOtherTeam', {});
        await eventually('connected', async () => (await solo.ok('team', 'status', {})).state === 'connected' || undefined);
      }
      await solo.ok('team', 'setPassphrase', { passphrase: PASSPHRASE });
      await eventually('everything pushed', async () => {
        const s = await solo.ok('team', 'status', {});
        return s.state === 'connected' && s.pending === 0 ? s : undefined;
      });
      expect(await count(db.agentUrl)).toEqual({ stores: 1, attempts: sent.attempts.length });
    }
  });
});
