/**
 * Real networks (issue 13): a link that goes up and down every few hundred milliseconds, heavy
 * loss, and 200 ms round trips with jitter on each leg. Every outbox item ends in one named
 * state, nothing reaches Postscript twice by itself, and one token never exceeds 15 arrivals in
 * any sliding second.
 */
import { describe, expect, it } from 'vitest';
import type { Counts } from '../../src-shared/ipc/contract';
import { holdDownPort } from '../helpers/connectProxy';
import { coresPerTest, type TestCore } from '../helpers/core';
import { maxInWindow } from '../helpers/windows';

const core = coresPerTest();

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stores(c: TestCore, n: number, events: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = await c.ok('stores', 'create', { name: `Flaky ${i}`, shopDomain: `flaky-${i}`, account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    for (const e of events) await c.ok('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
    ids.push(s.id);
  }
  return ids;
}

/** Runs a batch to its end and checks the accounting: one final state per item, none sent twice. */
async function runBatch(c: TestCore): Promise<{ counts: Counts; total: number; linkLosses: number }> {
  const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
  const done = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (b) => b.status === 'done');
  const items = (await c.ok('batches', 'items', { batchId: batch.id, limit: 1000 })).rows;
  expect(items).toHaveLength(done.total);
  expect(new Set(items.map((i) => i.id)).size).toBe(done.total);
  for (const i of items) expect(['delivered', 'failed', 'uncertain']).toContain(i.state);
  const counts = done.counts;
  expect(counts.queued + counts.in_flight).toBe(0);
  expect(counts.delivered + counts.failed + counts.uncertain + counts.cancelled).toBe(done.total);
  for (const state of ['delivered', 'failed', 'uncertain'] as const) expect(counts[state]).toBe(items.filter((i) => i.state === state).length);
  // Postscript got each event at most once, and every delivered one exactly once.
  const seen = new Map<string, number>();
  for (const e of c.core.ctx.sandbox.state.data.events) {
    const id = String(e.body.external_id);
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  for (const i of items) {
    expect(seen.get(i.externalId) ?? 0).toBeLessThanOrEqual(1);
    if (i.state === 'delivered') expect(seen.get(i.externalId)).toBe(1);
  }
  // The log has exactly one final attempt per item (the others say they were retried).
  const rows = (await c.ok('deliveries', 'list', { filter: { batchId: batch.id }, limit: 500 })).rows;
  for (const i of items) expect(rows.filter((r) => r.outboxId === i.id && !r.willRetry)).toHaveLength(1);
  return { counts, total: done.total, linkLosses: rows.filter((r) => r.responseStatus === null).length };
}

describe('flaky links', () => {
  it('a link flapping up and down: the batch finishes with every item counted once', async () => {
    const c = await core();
    await stores(c, 12, ['subscription_created', 'subscription_renewed', 'card_expiration']);
    await c.ok('sandbox', 'setFaults', { flapUpMs: 1500, flapDownMs: 700, requestDelayMs: 60, responseDelayMs: 60, jitterMs: 40 });
    // The batch starts while the link is down, and keeps meeting it going down.
    await waitFor(async () => c.core.ctx.sandbox.link.isDown, (down) => down, 5000);
    const { counts, total, linkLosses } = await runBatch(c);
    await c.ok('sandbox', 'setFaults', { flapUpMs: 0, flapDownMs: 0 });
    expect(total).toBe(36);
    expect(counts.delivered).toBeGreaterThan(0);
    expect(c.core.ctx.sandbox.link.stats.downs).toBeGreaterThan(0);
    expect(linkLosses).toBeGreaterThan(0); // some attempts did meet the link down
  });

  it('heavy loss: every item ends delivered or uncertain, never sent twice by itself', async () => {
    const c = await core();
    await stores(c, 6, ['subscription_created', 'subscription_renewed']);
    await c.ok('sandbox', 'setFaults', { lossRate: 0.5 });
    const { counts, total } = await runBatch(c);
    expect(counts.delivered + counts.uncertain).toBe(total);
    expect(counts.uncertain).toBeGreaterThan(0);
  });
});

describe('latency', () => {
  it('with 150 ± 100 ms on each leg, one token still never exceeds 15 arrivals in any sliding second, and draws no 429', async () => {
    const c = await core();
    const [id] = await stores(c, 1, ['subscription_renewed']);
    const sandbox = c.core.ctx.sandbox;
    await c.ok('sandbox', 'setFaults', { requestDelayMs: 150, responseDelayMs: 150, jitterMs: 100 });
    sandbox.arrivals = [];
    for (let i = 0; i < 40; i++) await c.ok('tests', 'send', { storeId: id!, eventKey: 'subscription_renewed' });
    await waitFor(() => c.ok('outbox', 'status', {}), (st) => st.waiting === 0);
    expect(sandbox.arrivals).toHaveLength(40);
    expect(maxInWindow(sandbox.arrivals, 1000)).toBeLessThanOrEqual(15);
    expect(sandbox.stats.rateLimited).toBe(0);
  });
});

describe('retry now', () => {
  it('probes an unreachable Postscript at once instead of at the next scheduled try', async () => {
    const down = await holdDownPort();
    const c = await core({ liveBaseUrl: `http://127.0.0.1:${down.port}` });
    await c.ok('stores', 'create', { name: 'Far', shopDomain: 'far-shop', account: 'live', credential: { kind: 'paste', apiKey: 'sk_live_0123456789abcdef' } });
    // Let the probe back off a few times, so the next scheduled try is seconds away.
    const later = await waitFor(
      () => c.ok('outbox', 'status', {}),
      (st) => st.offline[0]?.nextTryAt != null && Date.parse(st.offline[0].nextTryAt) - Date.now() > 1500,
      20_000,
    );
    const scheduled = Date.parse(later.offline[0]!.nextTryAt!);
    const now = await c.ok('outbox', 'retryNow', {});
    expect(Date.parse(now.offline[0]!.nextTryAt!)).toBeLessThan(scheduled);
    await down.release();
  });
});
