/**
 * The batch cards' and the banner's counts come from `outbox_counts`, kept by triggers (migration
 * 12) so that reading them does not cost as much as the whole queue. Here they must agree with
 * counting the items themselves after everything that moves an item: queueing in and out of a
 * batch, sending, pausing, cancelling, and removing a store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyCounts, type StateCounts } from '../../src-main/db/outbox';
import { startCore, type TestCore } from '../helpers/core';
import { waitFor } from '../helpers/waitFor';

const open: TestCore[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

function counted(c: TestCore, batchId?: string): StateCounts {
  const rows = c.core.db
    .prepare(batchId === undefined ? `SELECT state, COUNT(*) AS n FROM outbox WHERE state IN ('queued', 'in_flight', 'uncertain') GROUP BY state` : `SELECT state, COUNT(*) AS n FROM outbox WHERE batch_id = ? GROUP BY state`)
    .all(...(batchId === undefined ? [] : [batchId])) as Array<{ state: keyof StateCounts; n: number }>;
  const out = emptyCounts();
  for (const r of rows) out[r.state] = r.n;
  return out;
}

describe('outbox counts kept by triggers', () => {
  it('agree with the items after sends, pause, resume, cancel and a store removed', async () => {
    // One send at a time, so that the batch is still going when it is cancelled.
    const c = await startCore({ dispatcher: { maxConcurrent: 1, retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 } } });
    open.push(c);
    const stores: string[] = [];
    for (const name of ['Count One', 'Count Two', 'Count Three']) {
      const s = await c.ok('stores', 'create', { name, shopDomain: name.toLowerCase().replace(' ', '-'), account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
      for (const e of ['subscription_renewed', 'card_expiration', 'subscription_created']) await c.ok('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
      stores.push(s.id);
    }
    // Slow answers, so that items are queued and in flight while we look.
    await c.ok('sandbox', 'setFaults', { delayMs: 200 });
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    await c.ok('tests', 'send', { storeId: stores[0]!, eventKey: 'subscription_renewed' }); // outside any batch
    await c.ok('batches', 'pause', { batchId: batch.id });
    expect(c.core.ctx.outbox.counts(batch.id)).toEqual(counted(c, batch.id));
    expect(c.core.ctx.outbox.counts()).toEqual(counted(c));
    expect(c.core.ctx.outbox.heldInPausedBatches()).toBe(counted(c, batch.id).queued);
    await c.ok('batches', 'resume', { batchId: batch.id });
    await waitFor(() => c.core.ctx.outbox.counts(batch.id), (n) => n.delivered > 0);
    await c.ok('batches', 'cancel', { batchId: batch.id });
    await c.ok('stores', 'remove', { storeId: stores[2]! });
    await waitFor(() => c.ok('outbox', 'status', {}), (s) => s.waiting === 0);
    const finalCounts = c.core.ctx.outbox.counts(batch.id);
    expect(finalCounts).toEqual(counted(c, batch.id));
    expect(c.core.ctx.outbox.counts()).toEqual(counted(c));
    expect(finalCounts.cancelled + finalCounts.delivered).toBeGreaterThan(0);
    expect((await c.ok('batches', 'get', { batchId: batch.id })).counts).toEqual(finalCounts);
  });
});
