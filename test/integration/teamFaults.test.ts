/** Team mode faults: each gets a clear message in the team status, and the console keeps working. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { coresPerTest, type TestCore } from '../helpers/core';
import { freePort, withPostgres, type TestPostgres } from '../helpers/postgres';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});

const core = coresPerTest();

async function statusMessage(c: TestCore): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = await c.ok('team', 'status', {});
    if (s.state === 'offline' && s.message !== null) return s.message;
    if (Date.now() > deadline) throw new Error(`no failure reported: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('team faults', () => {
  it.each([
    ['wrong password', (u: URL) => { u.password = 'wrong'; }, 'disable' as const, /refused the user name or password/],
    ['unknown database', (u: URL) => { u.pathname = '/no_such_db'; }, 'disable' as const, /There is no database/],
    ['TLS the server does not offer', () => undefined, 'require' as const, /does not accept TLS/],
  ])('%s: says so, keeps the console working, loses nothing', async (_label, mutate, tls, message) => {
    const db = await server.createTeamDb();
    const url = new URL(db.agentUrl);
    mutate(url);
    const c = await core({ teamPollMs: 60_000 });
    await c.ok('team', 'configure', { url: url.toString(), tlsMode: tls, caFile: null, agentName: 'Ana' });
    expect(await statusMessage(c)).toMatch(message);
    const created = await c.ok('stores', 'create', { name: 'Acme', shopDomain: 'acme', account: 'sandbox', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    expect(created.name).toBe('Acme');
    expect((await c.ok('team', 'status', {})).pending).toBeGreaterThan(0);
  });

  it('an unreachable host: offline since when, with how many changes wait', async () => {
    const port = await freePort();
    const c = await core({ teamPollMs: 60_000 });
    await c.ok('team', 'configure', { url: `postgres://psc_agent:secret-pw-123@127.0.0.1:${port}/team`, tlsMode: 'disable', caFile: null, agentName: 'Ana' });
    expect(await statusMessage(c)).toMatch(/Nothing answers at 127\.0\.0\.1:\d+\/team.*Working offline/);
    const s = await c.ok('team', 'status', {});
    expect(s.offlineSince).not.toBeNull();
    expect(s.url).not.toContain('secret-pw-123'); // the screen never gets the password
    // The password is kept encrypted: it is nowhere in the database files.
    const file = path.join(c.dir, 'console.sqlite3');
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    for (const f of fs.readdirSync(c.dir).filter((f) => f.startsWith('console.sqlite3'))) {
      expect(fs.readFileSync(path.join(c.dir, f)).includes(Buffer.from('secret-pw-123'))).toBe(false);
    }
  });

  it('refuses a URL that is not a PostgreSQL URL, saying what to paste', async () => {
    const c = await core();
    const r = await c.call('team', 'configure', { url: 'http://example.com', tlsMode: 'disable', caFile: null, agentName: 'Ana' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ field: 'url', message: expect.stringMatching(/postgres:\/\//) });
    const ca = await c.call('team', 'configure', { url: 'postgres://a:b@127.0.0.1:5432/team', tlsMode: 'verify-full', caFile: '/nonexistent/ca.pem', agentName: 'Ana' });
    expect(ca.ok).toBe(false);
    if (!ca.ok) expect(ca.error).toMatchObject({ field: 'caFile', message: expect.stringMatching(/CA file .* cannot be read/) });
    expect((await c.ok('team', 'status', {})).configured).toBe(false);
  });

  it('an agent on a team database without the schema is told which version is needed and how to migrate; the owner’s console migrates it', async () => {
    const db = await server.createTeamDb({ migrate: false });
    const agent = await core({ teamPollMs: 60_000 });
    await agent.ok('team', 'configure', { url: await db.agentUrlFor('Ana'), tlsMode: 'disable', caFile: null, agentName: 'Ana' });
    expect(await statusMessage(agent)).toMatch(/needs version \d+.*npm run team-db -- --migrate/);
    const owner = await core({ teamPollMs: 60_000 });
    await owner.ok('team', 'configure', { url: db.ownerUrl, tlsMode: 'disable', caFile: null, agentName: 'Lead' });
    const deadline = Date.now() + 10_000;
    while ((await owner.ok('team', 'status', {})).state !== 'connected') {
      if (Date.now() > deadline) throw new Error('the owner did not connect');
      await new Promise((r) => setTimeout(r, 25));
    }
    await agent.ok('team', 'reconnect', {});
    while ((await agent.ok('team', 'status', {})).state !== 'connected') {
      if (Date.now() > deadline + 10_000) throw new Error('the agent did not connect after the migration');
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  it('PostgreSQL restarted in the middle of a teammate catching up: every attempt arrives once', { timeout: 120_000 }, async () => {
    const db = await server.createTeamDb();
    const a = await core({ teamPollMs: 60_000 });
    await a.ok('team', 'configure', { url: await db.agentUrlFor('Ana'), tlsMode: 'disable', caFile: null, agentName: 'Ana' });
    const created = await a.ok('stores', 'create', { name: 'Acme', shopDomain: 'acme', account: 'sandbox', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    // 30,000 attempts in A's log (written directly: the outbox's pace is not what is tested here).
    const insert = a.core.db.prepare(
      `INSERT INTO deliveries (store_id, event_key, postscript_type, external_id, attempt, outcome, request_method, request_url, request_headers_json, request_body, started_at)
       VALUES (?, 'subscription_created', 'Skio_SubscriptionCreated', ?, 1, 'delivered', 'POST', 'http://x', '{}', '{}', '2026-11-01T00:00:00Z')`,
    );
    const N = 30_000;
    a.core.db.transaction(() => {
      for (let i = 0; i < N; i++) insert.run(created.id, `psc-restart-${i}`);
    })();
    a.core.bus.emit('changed', { topics: ['deliveries'] });
    const waitFor = async (what: string, fn: () => Promise<boolean>) => {
      const deadline = Date.now() + 60_000;
      while (!(await fn())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await waitFor('A to push (its key waits for a passphrase)', async () => {
      const st = await a.ok('team', 'status', {});
      return st.pending === st.waitingForPassphrase;
    });
    const b = await core({ teamPollMs: 60_000 });
    const count = () => (b.core.db.prepare(`SELECT COUNT(*) AS n FROM deliveries`).get() as { n: number }).n;
    await b.ok('team', 'configure', { url: await db.agentUrlFor('Ben'), tlsMode: 'disable', caFile: null, agentName: 'Ben' });
    await waitFor('B to start catching up', async () => count() > 0);
    // While B is still pulling (30,000 rows take this machine seconds): the restart lands mid-pull.
    await server.stop();
    await server.start();
    await b.ok('team', 'reconnect', {});
    await waitFor('B to catch up', async () => count() >= N);
    expect(count()).toBe(N);
    const distinct = (b.core.db.prepare(`SELECT COUNT(DISTINCT external_id) AS n FROM deliveries`).get() as { n: number }).n;
    expect(distinct).toBe(N);
  });
});
