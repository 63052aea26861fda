/**
 * "Re-run failed" on a teammate's batch: their items are never sent from here; the agent may take
 * the failed ones over, deliberately, as new sends of this console.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { rerunControl } from '../../src-shared/teamPrompts';
import { coresPerTest } from '../helpers/core';
import { withPostgres, type TestPostgres } from '../helpers/postgres';
import { eventually, join } from '../helpers/teamConsoles';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});

const core = coresPerTest();

describe('re-running a teammate’s failed batch', () => {
  it('asks first, then re-sends the failed events once, from this console, as new items', async () => {
    const db = await server.createTeamDb();
    const a = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ana'), 'Ana');
    const b = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ben'), 'Ben');
    // A phone Postscript does not know: A's send fails for good.
    const created = await a.ok('stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', testPhone: '+15555550199', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await a.ok('triggers', 'set', { storeId: created.id, eventKey: 'subscription_created', enabled: true });
    const { batch } = await a.ok('batches', 'create', { name: 'Morning run', stores: { kind: 'all' }, events: { kind: 'enabled' } });
    await eventually('A’s batch to fail', async () => (await a.ok('batches', 'get', { batchId: batch.id })).counts.failed === 1 || undefined, 10_000);
    const aItem = (await a.ok('batches', 'items', { batchId: batch.id })).rows[0]!;
    // Ana fixes the phone; Ben sees the batch end with its failure.
    await a.ok('stores', 'setTestUser', { storeId: created.id, phone: '(555) 555-0100' });
    const theirs = await eventually('B to see A’s failed batch', async () => {
      const x = (await b.ok('batches', 'list', {})).find((y) => y.id === batch.id);
      return x !== undefined && x.status === 'done' && x.counts.failed === 1 ? x : undefined;
    }, 10_000);
    await eventually('B to see the fixed phone', async () => (await b.ok('stores', 'get', { storeId: created.id })).testPhone === '+15555550100' || undefined);

    // Without the confirmation nothing is queued, and the refusal says whose batch it is and what it would send.
    const refused = await b.call('batches', 'rerunFailed', { batchId: theirs.id });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toBe('This batch is Ana’s: only their console sends its items. Re-sending its 1 failed event from your console makes 1 new send; confirm to take it over.');
    expect((await b.ok('batches', 'list', {})).filter((x) => x.rerunOf === batch.id)).toEqual([]);

    const rerun = await b.ok('batches', 'rerunFailed', { batchId: theirs.id, takeOver: true });
    expect(rerun).toMatchObject({ agentId: null, rerunOf: batch.id, total: 1, name: 'Re-run of Morning run (taken over from Ana)' });
    const [item] = (await b.ok('batches', 'items', { batchId: rerun.id })).rows;
    expect(item!.externalId).not.toBe(aItem.externalId);
    expect((await b.settled(item!.id)).state).toBe('delivered');
    // Sent once, by B's console; A's console sent nothing more.
    expect(b.core.ctx.sandbox.state.data.events.filter((e) => String(e.body.external_id) === item!.externalId)).toHaveLength(1);
    expect(a.core.ctx.sandbox.state.data.events.some((e) => String(e.body.external_id) === item!.externalId)).toBe(false);
    expect((await a.ok('outbox', 'status', {})).waiting).toBe(0);
    // Ana sees Ben's re-run as his.
    const seenByA = await eventually('A to see B’s re-run', async () => (await a.ok('batches', 'list', {})).find((x) => x.id === rerun.id));
    expect(seenByA.agentId).toBe((await b.ok('team', 'status', {})).agentId);
  }, 40_000);

  it('the button says whose batch it is, and the confirmation names how many sends it makes', () => {
    expect(rerunControl(3, null)).toEqual({ label: 'Re-run 3 failed', title: 'Queue the 3 failed events again as a new batch.', confirm: null });
    const theirs = rerunControl(2, 'Ana');
    expect(theirs.label).toBe('Re-send 2 failed from my console');
    expect(theirs.title).toBe('Only Ana’s console sends this batch. This takes its 2 failed events over as new sends of yours.');
    expect(theirs.confirm).toBe(
      'Re-send the 2 failed events of Ana’s batch from your console? This makes 2 new sends to Postscript (each may text the Test Event User). Ana’s console will not send them again unless Ana re-runs them too.',
    );
  });
});
