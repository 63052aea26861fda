/**
 * A failed send is re-sent once, team-wide (issue 18 item 4): each re-send claims the original
 * send in PostgreSQL first, so a second claim is refused whoever makes it (the owner of the batch
 * included), with who re-sent it and when; a console without the team database re-sends nothing.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { TEAM_SCHEMA } from '../../src-main/team/pgMigrations';
import { closedPort } from '../helpers/connectProxy';
import { coresPerTest, type TestCore } from '../helpers/core';
import { withPostgres, type TestPostgres } from '../helpers/postgres';
import { eventually, join } from '../helpers/teamConsoles';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});

const core = coresPerTest();

/** Ana's batch with one send that fails for good (a phone Postscript does not know), seen by Ben. */
async function failedBatchOfAna(): Promise<{ a: TestCore; b: TestCore; batchId: string; storeId: string }> {
  const db = await server.createTeamDb();
  const a = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ana'), 'Ana');
  const b = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ben'), 'Ben');
  const store = await a.ok('stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', testPhone: '+15555550199', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
  await a.ok('triggers', 'set', { storeId: store.id, eventKey: 'subscription_created', enabled: true });
  const { batch } = await a.ok('batches', 'create', { name: 'Morning run', stores: { kind: 'all' }, events: { kind: 'enabled' } });
  await eventually('Ana’s batch to fail', async () => (await a.ok('batches', 'get', { batchId: batch.id })).counts.failed === 1 || undefined, 10_000);
  await a.ok('stores', 'setTestUser', { storeId: store.id, phone: '(555) 555-0100' });
  await eventually('Ben to see Ana’s failed batch and the fixed phone', async () => {
    const theirs = (await b.ok('batches', 'list', {})).find((x) => x.id === batch.id);
    const there = await b.call('stores', 'get', { storeId: store.id });
    return theirs?.status === 'done' && theirs.counts.failed === 1 && there.ok && there.value.testPhone === '+15555550100' ? true : undefined;
  }, 10_000);
  return { a, b, batchId: batch.id, storeId: store.id };
}

const rerunsOf = async (c: TestCore, batchId: string): Promise<number> => (await c.ok('batches', 'list', {})).filter((x) => x.rerunOf === batchId).length;
const sandboxEvents = (c: TestCore): number => c.core.ctx.sandbox.state.data.events.length;
const CLAIM_TIME = /on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M/;

describe('a failed send is re-sent once, team-wide', () => {
  it('Ben takes Ana’s failure over once; his second try and Ana’s own re-run are refused, naming Ben and when', async () => {
    const { a, b, batchId } = await failedBatchOfAna();
    const first = await b.ok('batches', 'rerunFailed', { batchId, takeOver: true });
    expect(first).toMatchObject({ total: 1, note: null });
    const [item] = (await b.ok('batches', 'items', { batchId: first.id })).rows;
    expect((await b.settled(item!.id)).state).toBe('delivered');

    const eventsAtB = sandboxEvents(b);
    const again = await b.call('batches', 'rerunFailed', { batchId, takeOver: true });
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error.code).toBe('conflict');
      expect(again.error.message).toMatch(/^Not re-sent: This failed event was already re-sent by you on .+\. A failed send is re-sent once for the whole team, so nothing was queued\.$/);
      expect(again.error.message).toMatch(CLAIM_TIME);
    }

    // Ana sees her batch's failure and re-runs it herself: her claim is refused too, naming Ben.
    const eventsAtA = sandboxEvents(a);
    const own = await a.call('batches', 'rerunFailed', { batchId });
    expect(own.ok).toBe(false);
    if (!own.ok) expect(own.error.message).toMatch(/^Not re-sent: This failed event was already re-sent by Ben on .+\. A failed send is re-sent once for the whole team, so nothing was queued\.$/);
    // Nothing more went out from either console, and no new batch was made.
    await new Promise((r) => setTimeout(r, 300));
    expect(sandboxEvents(a)).toBe(eventsAtA);
    expect(sandboxEvents(b)).toBe(eventsAtB);
    expect(await rerunsOf(b, batchId)).toBe(1);
    // Ana's console shows one re-run of her batch: Ben's (none of her own).
    const atA = await eventually('Ana to see Ben’s re-run', async () => (await a.ok('batches', 'list', {})).find((x) => x.id === first.id));
    expect(atA.agentId).not.toBeNull();
    expect(await rerunsOf(a, batchId)).toBe(1);
  }, 60_000);

  it('the owner re-running first wins: Ben’s take-over is then refused, naming Ana; a resend from the log leaves it out', async () => {
    const { a, b, batchId } = await failedBatchOfAna();
    const own = await a.ok('batches', 'rerunFailed', { batchId });
    expect(own).toMatchObject({ total: 1, note: null });
    const theirs = await b.call('batches', 'rerunFailed', { batchId, takeOver: true });
    expect(theirs.ok).toBe(false);
    if (!theirs.ok) expect(theirs.error.message).toMatch(/^Not re-sent: This failed event was already re-sent by Ana on .+\./);
    // The same failed item from the delivery log (single resend) is the same original send.
    const failedItem = (await a.ok('batches', 'items', { batchId })).rows[0]!;
    const single = await a.call('outbox', 'resend', { itemId: failedItem.id });
    expect(single.ok).toBe(false);
    if (!single.ok) expect(single.error.message).toMatch(/already re-sent by you on/);
    // Ana's re-run kept the body it was queued with (the old phone), so it failed too: that one is
    // a send of its own and may be re-sent once; the original is left out, and the note says why.
    const rerunItem = (await a.ok('batches', 'items', { batchId: own.id })).rows[0]!;
    expect((await a.settled(rerunItem.id)).state).toBe('failed');
    const bulk = await a.ok('deliveries', 'resend', { filter: { outcome: 'failed' } });
    expect(bulk).toMatchObject({ queued: 1, skipped: 1 });
    expect(bulk.note).toMatch(/^1 of the 2 failed events was already re-sent by you on .+, so it is left out; the other 1 is re-sent now\.$/);
  }, 60_000);

  it('PostgreSQL refuses a claim naming someone else, or a claim made twice, with the agent’s own login', async () => {
    const db = await server.createTeamDb();
    const benUrl = await db.agentUrlFor('Ben');
    const anaRole = decodeURIComponent(new URL(await db.agentUrlFor('Ana')).username);
    const benRole = decodeURIComponent(new URL(benUrl).username);
    const ben = new pg.Client({ connectionString: benUrl });
    await ben.connect();
    try {
      await expect(ben.query(`INSERT INTO ${TEAM_SCHEMA}.resend_claims (original_send, claimed_by) VALUES ('psc-test-x', $1)`, [anaRole])).rejects.toMatchObject({ code: '42501' });
      await expect(ben.query(`INSERT INTO ${TEAM_SCHEMA}.resend_claims (original_send, claimed_at) VALUES ('psc-test-x', now() - interval '1 day')`)).rejects.toMatchObject({ code: '42501' });
      await ben.query(`INSERT INTO ${TEAM_SCHEMA}.resend_claims (original_send) VALUES ('psc-test-x')`);
      await expect(ben.query(`INSERT INTO ${TEAM_SCHEMA}.resend_claims (original_send) VALUES ('psc-test-x')`)).rejects.toMatchObject({ code: '23505' });
      await expect(ben.query(`DELETE FROM ${TEAM_SCHEMA}.resend_claims`)).rejects.toMatchObject({ code: '42501' });
      expect((await ben.query(`SELECT claimed_by::text AS who FROM ${TEAM_SCHEMA}.resend_claims`)).rows).toEqual([{ who: benRole }]);
    } finally {
      await ben.end();
    }
  }, 30_000);

  it('a console that cannot reach the team database re-sends none of its team batch, and says why', async () => {
    const c = await core({ teamPollMs: 60_000 });
    const port = await closedPort();
    await c.ok('team', 'configure', { url: `postgres://ana:pw@127.0.0.1:${port}/team`, tlsMode: 'disable', caFile: null, agentName: 'Ana' });
    const store = await c.ok('stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', testPhone: '+15555550199', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await c.ok('triggers', 'set', { storeId: store.id, eventKey: 'subscription_created', enabled: true });
    const { batch } = await c.ok('batches', 'create', { name: 'Morning run', stores: { kind: 'all' }, events: { kind: 'enabled' } });
    await eventually('the batch to fail', async () => (await c.ok('batches', 'get', { batchId: batch.id })).counts.failed === 1 || undefined, 10_000);
    const r = await c.call('batches', 'rerunFailed', { batchId: batch.id });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('unreachable');
      expect(r.error.message).toBe(
        `Not re-sent: Nothing answers at 127.0.0.1:${port}/team (connection refused). Is the team database running? Working offline; changes wait here. ` +
          'A failed send of the team is first claimed in the team database, so that it is re-sent once for the whole team; try again when the team status says connected.',
      );
    }
    expect(await rerunsOf(c, batch.id)).toBe(0);
  }, 30_000);
});
