/**
 * kill -9 of a console in the middle of pushing (and of pulling), then restart: nothing lost,
 * nothing twice. The consoles are real child processes (the built browser shell) sharing a real
 * PostgreSQL started here.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_SCHEMA } from '../../src-main/team/pgMigrations';
import { BUILD_TIMEOUT_MS, buildFromSource } from '../helpers/buildFromSource';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { startShellProcess, type ShellProcess } from '../helpers/shellProcess';
import { makeTempDir } from '../helpers/tmp';

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('kill -9 mid-sync', () => {
  let server: TestPostgres;
  const dirs = [makeTempDir('psc-team-a-'), makeTempDir('psc-team-b-')];
  const procs: ShellProcess[] = [];
  beforeAll(buildFromSource, BUILD_TIMEOUT_MS);
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await server.close();
    for (const d of dirs) d.cleanup();
  });

  it('loses nothing and duplicates nothing', { timeout: 120_000 }, async () => {
    const db = await server.createTeamDb();
    const env = (agent: string) => ({
      POSTSCRIPT_CONSOLE_TEAM_URL: db.agentUrl,
      POSTSCRIPT_CONSOLE_AGENT: agent,
      POSTSCRIPT_CONSOLE_TEAM_PASSPHRASE: 'correct horse battery staple',
      POSTSCRIPT_CONSOLE_WEBHOOK_PORT: '0',
    });
    const start = async (i: number, agent: string) => {
      const p = await startShellProcess(dirs[i]!.dir, env(agent));
      procs.push(p);
      await until(`${agent} connected`, async () => (await p.call('team', 'status', {})).state === 'connected');
      return p;
    };
    const teamCount = async (sql: string): Promise<number> => {
      const c = new pg.Client({ connectionString: db.superUrl });
      await c.connect();
      try {
        return Number((await c.query<{ n: string }>(sql)).rows[0]!.n);
      } finally {
        await c.end();
      }
    };

    const a1 = await start(0, 'Ana');
    await until('passphrase', async () => (await a1.call('team', 'status', {})).unlocked);
    const storeIds: string[] = [];
    let killedWith = -1;
    for (let i = 0; i < 40; i++) {
      const s = await a1.call('stores', 'create', { name: `Crash Shop ${i}`, shopDomain: `crash-shop-${i}`, account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
      storeIds.push(s.id);
      for (const e of ['subscription_created', 'billing_reminder']) await a1.call('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
      if (i % 4 === 0) await a1.call('tests', 'sendAll', { storeId: s.id });
      // Kill while changes are on their way: some already in PostgreSQL, some still waiting here.
      if (i >= 10) {
        const pending = (await a1.call('team', 'status', {})).pending;
        const up = await teamCount(`SELECT count(*) AS n FROM ${TEAM_SCHEMA}.changes`);
        if (pending > 0 && up > 0) {
          killedWith = pending;
          break;
        }
      }
    }
    await a1.kill('SIGKILL');
    expect(killedWith).toBeGreaterThan(0);

    const a2 = await start(0, 'Ana');
    await until('A to push everything', async () => {
      const s = await a2.call('team', 'status', {});
      const out = await a2.call('outbox', 'status', {});
      return s.pending === 0 && out.waiting === 0;
    });
    // Everything A made is in PostgreSQL once: no change is there twice under two ids.
    expect(await teamCount(`SELECT count(*) AS n FROM (SELECT entity, row_id, payload FROM ${TEAM_SCHEMA}.changes GROUP BY 1, 2, 3 HAVING count(*) > 1) d`)).toBe(0);
    const storesUp = await teamCount(`SELECT count(DISTINCT row_id) AS n FROM ${TEAM_SCHEMA}.changes WHERE entity = 'store' AND payload ? 'name'`);
    expect(storesUp).toBe(storeIds.length);
    const aLog = await a2.call('deliveries', 'list', { limit: 500 });
    expect(await teamCount(`SELECT count(*) AS n FROM ${TEAM_SCHEMA}.deliveries`)).toBe(aLog.rows.length);
    expect(await teamCount(`SELECT count(DISTINCT payload->>'external_id') AS n FROM ${TEAM_SCHEMA}.deliveries`)).toBe(new Set(aLog.rows.map((r) => r.externalId)).size);

    // B joins and is killed while catching up, then restarts: it ends with exactly A's data.
    const b1 = await start(1, 'Ben');
    await b1.kill('SIGKILL');
    const b2 = await start(1, 'Ben');
    const aStores = (await a2.call('stores', 'list', {})).map((s) => [s.id, s.name, s.enabledEvents, s.keyMask]);
    await until('B to have every store and attempt', async () => {
      const bStores = (await b2.call('stores', 'list', {})).map((s) => [s.id, s.name, s.enabledEvents, s.keyMask]);
      const bLog = await b2.call('deliveries', 'list', { limit: 500 });
      return JSON.stringify(bStores) === JSON.stringify(aStores) && bLog.rows.length === aLog.rows.length;
    });
    const bLog = await b2.call('deliveries', 'list', { limit: 500 });
    expect(bLog.rows.map((r) => r.externalId).sort()).toEqual(aLog.rows.map((r) => r.externalId).sort());
  });
});
