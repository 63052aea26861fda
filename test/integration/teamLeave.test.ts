/**
 * Leaving a team stops recording changes (nothing piles up on a console that never rejoins);
 * rejoining the same team catches up on teammates' edits, then sends this console's state again.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { TEAM_SCHEMA } from '../../src-main/team/pgMigrations';
import { leaveConfirm } from '../../src-shared/teamPrompts';
import { coresPerTest } from '../helpers/core';
import { withPostgres, type TestPostgres } from '../helpers/postgres';
import { eventually, join, pushed } from '../helpers/teamConsoles';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});

const core = coresPerTest();

async function teamAttempts(url: string, author: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ p: { external_id: string } }>(`SELECT payload AS p FROM ${TEAM_SCHEMA}.deliveries WHERE author = $1 ORDER BY id`, [author])).rows.map((r) => r.p.external_id);
  } finally {
    await c.end();
  }
}

describe('leaving and rejoining a team', () => {
  it('records nothing while away; on rejoin keeps a teammate’s edits, sends the away changes, and no attempt twice', async () => {
    const db = await server.createTeamDb();
    const a = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ana'), 'Ana');
    const b = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ben'), 'Ben');
    const created = await a.ok('stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', testPhone: '(555) 555-0100', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await a.ok('triggers', 'set', { storeId: created.id, eventKey: 'subscription_created', enabled: true });
    const before = await a.sendTest(created.id, 'subscription_created');
    await pushed(a);
    await eventually('B to see the event on', async () => (await b.ok('stores', 'get', { storeId: created.id }).catch(() => undefined))?.triggers.some((t) => t.enabled));

    await a.ok('team', 'leave', {});
    // Away: A keeps working; nothing waits to go up, however much it does.
    const away = await a.sendTest(created.id, 'subscription_created');
    await a.ok('triggers', 'set', { storeId: created.id, eventKey: 'subscription_renewed', enabled: true });
    expect((await a.ok('team', 'status', {})).pending).toBe(0);
    // Meanwhile Ben turns the first event off.
    await b.ok('triggers', 'set', { storeId: created.id, eventKey: 'subscription_created', enabled: false });
    await pushed(b);

    await join(a, await db.agentUrlFor('Ana'), 'Ana', null);
    await pushed(a);
    const anaId = (await a.ok('team', 'status', {})).agentId;
    // Every attempt of A's is in the team log once: the one from before leaving is not sent again.
    expect(await teamAttempts(db.agentUrl, anaId)).toEqual([...before.attempts, ...away.attempts].map((x) => x.externalId));
    const on = (c: typeof a) => async () => {
      const t = (await c.ok('stores', 'get', { storeId: created.id })).triggers;
      return { created: t.find((x) => x.eventKey === 'subscription_created')?.enabled, renewed: t.find((x) => x.eventKey === 'subscription_renewed')?.enabled };
    };
    // Both end the same: Ben's edit stands (A's resync did not undo it), A's away edit reached Ben.
    await eventually('B to get A’s away edit', async () => ((await on(b)()).renewed === true) || undefined);
    expect(await on(b)()).toEqual({ created: false, renewed: true });
    expect(await on(a)()).toEqual({ created: false, renewed: true });
    expect((await b.ok('deliveries', 'list', { filter: { agent: anaId } })).rows.map((r) => r.externalId).sort()).toEqual(
      [...before.attempts, ...away.attempts].map((x) => x.externalId).sort(),
    );
  }, 40_000);

  it('the leave confirmation says what waiting changes become', () => {
    expect(leaveConfirm(3)).toBe(
      'Leave the team? This console stops sharing its changes. 3 changes not yet sent to the team will not be sent. Rejoining the same team later catches up, then sends this console’s current state again.',
    );
    expect(leaveConfirm(0)).toContain('Nothing is waiting to go up.');
  });
});
