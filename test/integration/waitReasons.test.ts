/**
 * A wait says why (issue 20.2, and 19.7's "paused: disk full"): a batch's card and the outbox
 * banner read the reason its sends wait and when they are tried next from the outbox's status,
 * not only "9 queued".
 */
import { describe, expect, it } from 'vitest';
import { coresPerTest, type TestCore } from '../helpers/core';
import { waitFor } from '../helpers/waitFor';

const core = coresPerTest();

async function storeWithEvents(c: TestCore, name: string, events: string[]): Promise<string> {
  await c.core.checked; // until the start-up check is done, the reason is that check
  const s = await c.ok('stores', 'create', { name, shopDomain: name.toLowerCase().replace(/\W+/g, '-'), account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
  for (const e of events) await c.ok('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
  return s.id;
}
const EVENTS = ['subscription_created', 'subscription_renewed', 'card_expiration'];

describe('why sends wait', () => {
  it('under a 429 storm: the batch and the outbox say Postscript is rate-limiting the key, with the next try; nothing once it is through', async () => {
    // Backoff long enough to read the next try; the shape of the policy is the default's.
    const c = await core({ dispatcher: { retry: { maxAttempts: 6, baseDelayMs: 2000, maxDelayMs: 4000 } } });
    await storeWithEvents(c, 'Storm Shop', EVENTS);
    await c.ok('sandbox', 'setFaults', { rate429: 1 });
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    const b = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (x) => x.wait !== null);
    expect(b.counts.delivered).toBe(0);
    expect(b.wait).toMatchObject({ kind: 'rate_limited', text: 'Postscript is rate-limiting this key (429)' });
    const next = Date.parse(b.wait!.nextTryAt!) - Date.now();
    expect(next).toBeLessThanOrEqual(2000);
    const status = await c.ok('outbox', 'status', {});
    expect(status.waits.map((w) => w.kind)).toEqual(['rate_limited']);
    expect(status.held).toBeNull();

    await c.ok('sandbox', 'setFaults', { rate429: 0 });
    const done = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (x) => x.status === 'done', 30_000);
    expect(done.wait).toBeNull();
    expect((await c.ok('outbox', 'status', {})).waits).toEqual([]);
  });

  it('a paused batch says it is paused', async () => {
    // One send at a time and slow answers: the pause lands with sends still queued.
    const c = await core({ dispatcher: { maxConcurrent: 1, retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 } } });
    await storeWithEvents(c, 'Paused Shop', EVENTS);
    await c.ok('sandbox', 'setFaults', { delayMs: 300 });
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    await c.ok('batches', 'pause', { batchId: batch.id });
    const b = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (x) => x.counts.in_flight === 0);
    expect(b.counts.queued).toBeGreaterThan(0);
    expect(b.wait).toEqual({ kind: 'paused', text: 'Paused: press Resume to send the rest', nextTryAt: null });
    await c.ok('batches', 'resume', { batchId: batch.id });
    expect((await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (x) => x.status === 'done')).wait).toBeNull();
  });

  it('a full disk: the outbox reads "paused: disk full", not online and not paused', async () => {
    const c = await core({ more: { spaceProbe: () => false, spaceProbeEveryMs: 20 } });
    await storeWithEvents(c, 'Full Shop', EVENTS);
    c.core.ctx.storage.report(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), 'a test');
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    const status = await c.ok('outbox', 'status', {});
    expect(status.waiting).toBe(3);
    expect(status.held).toMatchObject({ kind: 'disk_full', text: expect.stringContaining('the disk is full') as string, nextTryAt: null });
    expect((await c.ok('batches', 'get', { batchId: batch.id })).wait?.kind).toBe('disk_full');
  });
});
