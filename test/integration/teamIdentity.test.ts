/**
 * Issue 18.3: a team is known by the id in its database, not by its address. A mistyped address
 * corrected later is the same team (nothing uploaded twice, no teammate's edit undone, the
 * passphrase kept); a database holding another team asks first and sends nothing there until then.
 */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { TEAM_SCHEMA } from '../../src-main/team/pgMigrations';
import { coresPerTest, type TestCore } from '../helpers/core';
import { freePort, withPostgres, type TestPostgres } from '../helpers/postgres';
import { eventually, join, pushed } from '../helpers/teamConsoles';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});
const core = coresPerTest();
const store = { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox' as const, testPhone: '(555) 555-0100', credential: { kind: 'paste' as const, apiKey: DEMO_PRIVATE_KEY } };

async function rows(url: string): Promise<{ changesByBen: number; deliveries: Array<{ author: string; external: string }> }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const changes = (await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${TEAM_SCHEMA}.changes WHERE author::text LIKE 'psc_ben%'`)).rows[0]!.n;
    const deliveries = (await c.query<{ author: string; external: string }>(`SELECT author::text AS author, payload->>'external_id' AS external FROM ${TEAM_SCHEMA}.deliveries ORDER BY id`)).rows;
    return { changesByBen: Number(changes), deliveries };
  } finally {
    await c.end();
  }
}

const configure = (c: TestCore, url: string, name: string) => c.ok('team', 'configure', { url, tlsMode: 'disable', caFile: null, agentName: name });

async function view(c: TestCore, storeId: string): Promise<{ step: string; reminder: unknown; skipWord: string | null }> {
  const d = await c.ok('stores', 'get', { storeId });
  const skip = await c.ok('skip', 'status', { storeId });
  return { step: d.setupStep, reminder: d.triggers.find((t) => t.eventKey === 'billing_reminder')?.settings ?? null, skipWord: skip.skipWord };
}

describe('a team is its id, whatever its address', () => {
  it('a mistyped address corrected later: 0 edits lost, 0 rows duplicated, the passphrase kept', async () => {
    const db = await server.createTeamDb();
    const benUrl = await db.agentUrlFor('Ben');
    const a = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ana'), 'Ana');
    const b = await join(await core({ teamPollMs: 60_000 }), benUrl, 'Ben');
    const created = await a.ok('stores', 'create', store);
    await a.ok('triggers', 'set', { storeId: created.id, eventKey: 'subscription_created', enabled: true });
    await eventually('B sees the event on', async () => (await b.ok('stores', 'get', { storeId: created.id }).catch(() => undefined))?.triggers.some((t) => t.enabled));
    for (let i = 0; i < 3; i++) await b.sendTest(created.id, 'subscription_created');
    await pushed(b);
    const before = await rows(db.ownerUrl);
    expect(before.deliveries).toHaveLength(3);

    // Ben mistypes the port; nothing answers there, and he accepts it.
    const typo = new URL(benUrl);
    typo.port = String(await freePort());
    await configure(b, typo.toString(), 'Ben');
    await eventually('B offline', async () => (await b.ok('team', 'status', {})).state === 'offline' || undefined);
    // Meanwhile Ana makes 3 edits.
    await a.ok('stores', 'setStep', { storeId: created.id, step: 'events' });
    await a.ok('triggers', 'set', { storeId: created.id, eventKey: 'billing_reminder', enabled: true, daysBefore: 3 });
    await a.ok('skip', 'setSkipWord', { storeId: created.id, word: 'PAUSE' });
    await pushed(a);

    // Ben corrects the address: the database holds his team, so he carries on where he was.
    await configure(b, benUrl, 'Ben');
    await pushed(b);
    const edits = { step: 'events', reminder: { daysBefore: 3 }, skipWord: 'PAUSE' };
    await eventually('B has Ana’s 3 edits', async () => JSON.stringify(await view(b, created.id)) === JSON.stringify(edits) || undefined);
    a.core.ctx.team.worker.wake();
    await new Promise((r) => setTimeout(r, 500));
    expect(await view(a, created.id)).toEqual(edits); // none of Ana's edits was undone
    const after = await rows(db.ownerUrl);
    expect(after.deliveries).toEqual(before.deliveries); // no attempt went up twice
    expect(after.changesByBen).toBe(before.changesByBen); // nothing of Ben's was uploaded again
    expect((await b.ok('team', 'status', {})).unlocked).toBe(true); // the passphrase was kept
  }, 60_000);

  it('a database holding another team asks first and sends nothing there until the agent confirms', async () => {
    const first = await server.createTeamDb();
    const other = await server.createTeamDb();
    const b = await join(await core({ teamPollMs: 60_000 }), await first.agentUrlFor('Ben'), 'Ben');
    await b.ok('stores', 'create', store);
    await pushed(b);
    await configure(b, await other.agentUrlFor('Ben'), 'Ben');
    const asked = await eventually('B to say it is another team', async () => (await b.ok('team', 'status', {})).otherTeam ?? undefined);
    expect(asked).toMatch(/holds another team.*starts over/);
    expect((await rows(other.ownerUrl)).changesByBen).toBe(0);
    await b.ok('team', 'confirmOtherTeam', {});
    // Its stores go up there (the key waits for that team's passphrase).
    await eventually('B’s store in the other team', async () => (await rows(other.ownerUrl)).changesByBen > 0 || undefined, 10_000);
    const s = await b.ok('team', 'status', {});
    expect(s.otherTeam).toBeNull();
    expect(s.unlocked).toBe(false); // that team's passphrase is its own
  }, 60_000);
});
