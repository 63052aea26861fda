/**
 * Issue 18.1: each agent signs in as themself and PostgreSQL says who wrote a row. A row naming
 * another agent is refused by the database; a row an agent writes with another console's id is
 * credited to its real author on every console, so consoles never disagree about it.
 */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { TEAM_SCHEMA } from '../../src-main/team/pgMigrations';
import { coresPerTest } from '../helpers/core';
import { withPostgres, type TestPostgres } from '../helpers/postgres';
import { eventually, join } from '../helpers/teamConsoles';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});
const core = coresPerTest();

async function as<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const roleOf = (url: string): string => new URL(url).username;

describe('who wrote a row is the login that wrote it', () => {
  it('refuses, with Ben’s own login, a change whose author is Ana, even after SET ROLE', async () => {
    const db = await server.createTeamDb();
    const ana = await db.agentUrlFor('Ana');
    const ben = await db.agentUrlFor('Ben');
    const insert = `INSERT INTO ${TEAM_SCHEMA}.changes (change_id, agent_id, author, entity, row_id, payload) VALUES ($1, 'x', $2, 'store', 's1', '{}')`;
    await as(ben, async (c) => {
      await expect(c.query(insert, ['forged-1', roleOf(ana)])).rejects.toThrow(/row-level security/);
      await c.query('SET ROLE postscript_agent');
      await expect(c.query(insert, ['forged-2', roleOf(ana)])).rejects.toThrow(/row-level security/);
      await expect(c.query(insert, ['forged-3', 'postscript_agent'])).rejects.toThrow(/row-level security/);
      await c.query('RESET ROLE');
      await expect(
        c.query(`INSERT INTO ${TEAM_SCHEMA}.deliveries (change_id, agent_id, author, store_id, event_key, outcome, started_at, payload) VALUES ('d1', 'x', $1, 's', 'e', 'failed', 'now', '{}')`, [roleOf(ana)]),
      ).rejects.toThrow(/row-level security/);
      // Without naming anyone, the row is Ben's: PostgreSQL fills the author in.
      await c.query(`INSERT INTO ${TEAM_SCHEMA}.changes (change_id, agent_id, entity, row_id, payload) VALUES ('own-1', 'x', 'store', 's1', '{}')`);
    });
    const rows = await as(db.ownerUrl, async (c) => (await c.query<{ change_id: string; author: string }>(`SELECT change_id, author::text FROM ${TEAM_SCHEMA}.changes`)).rows);
    expect(rows).toEqual([{ change_id: 'own-1', author: roleOf(ben) }]);
    // Agents still may not edit anyone's history, their own included.
    await as(ben, async (c) => {
      await expect(c.query(`UPDATE ${TEAM_SCHEMA}.changes SET author = $1`, [roleOf(ana)])).rejects.toThrow(/permission denied/);
      await expect(c.query(`INSERT INTO ${TEAM_SCHEMA}.agents (role, display_name) VALUES ('x', 'Mallory')`)).rejects.toThrow(/permission denied/);
    });
  });

  it('a keyword Ben plants with Ana’s console id is credited to Ben on both consoles, and Ana’s console applies it too', async () => {
    const db = await server.createTeamDb();
    const benUrl = await db.agentUrlFor('Ben');
    const a = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ana'), 'Ana');
    const b = await join(await core({ teamPollMs: 60_000 }), benUrl, 'Ben');
    const created = await a.ok('stores', 'create', { name: 'Acme', shopDomain: 'acme', account: 'sandbox', testPhone: '(555) 555-0100', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await eventually('B sees the store', async () => (await b.ok('stores', 'list', {})).some((s) => s.id === created.id) || undefined);
    const anaNode = a.core.ctx.sync.agentId();
    // Ben, with his own login, writes a change that claims to come from Ana's console.
    const hlc = `${(Date.now() + 1000).toString(16).padStart(12, '0')}-00000000-${anaNode}`;
    await as(benUrl, (c) =>
      c.query(`INSERT INTO ${TEAM_SCHEMA}.changes (change_id, agent_id, entity, row_id, payload) VALUES ($1, $2, 'store', $3, $4::jsonb)`, [
        hlc, anaNode, created.id, JSON.stringify({ id: created.id, keyword: 'HACKED' }),
      ]),
    );
    a.core.ctx.team.worker.wake();
    b.core.ctx.team.worker.wake();
    for (const c of [a, b]) {
      await eventually('the keyword on each console', async () => ((await c.ok('stores', 'get', { storeId: created.id })).keyword === 'HACKED') || undefined);
      const history = await c.ok('team', 'storeHistory', { storeId: created.id });
      expect(history.find((h) => h.field === 'keyword')).toMatchObject({ agent: 'Ben' });
    }
    // Each console's status names its login, which is what teammates see.
    expect((await b.ok('team', 'status', {})).agentId).toBe(roleOf(benUrl));
  }, 60_000);
});
