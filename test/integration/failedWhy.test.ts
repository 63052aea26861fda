/**
 * A 429 storm seen from the batch card and the delivery log (issue 20, the newcomer's walk): the
 * countdown goes to the try the outbox really makes next; once the tries are used up the card says
 * why its sends failed; and the log's "failed" filter finds the attempts the card counts as failed.
 */
import { describe, expect, it } from 'vitest';
import { coresPerTest, type TestCore } from '../helpers/core';
import { waitFor } from '../helpers/waitFor';

const core = coresPerTest();
const EVENTS = ['subscription_created', 'subscription_renewed', 'card_expiration'];

async function stores(c: TestCore, names: string[]): Promise<void> {
  await c.core.checked;
  for (const name of names) {
    const s = await c.ok('stores', 'create', { name, shopDomain: name.toLowerCase().replace(/\W+/g, '-'), account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    for (const e of EVENTS) await c.ok('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
  }
}

describe('a 429 storm on the batch card and in the log', () => {
  it('the next try shown is the one the outbox makes next, and it never moves later until a try is made', async () => {
    const c = await core({ dispatcher: { retry: { maxAttempts: 50, baseDelayMs: 2000, maxDelayMs: 4000 } } });
    await stores(c, ['Storm One', 'Storm Two']);
    await c.ok('sandbox', 'setFaults', { rate429: 1 });
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    const seen: Array<{ at: number; next: number; inFlight: number }> = [];
    const until = Date.now() + 6000;
    while (Date.now() < until) {
      const at = Date.now(); // before the reading: a try made while it is read is after it
      const b = await c.ok('batches', 'get', { batchId: batch.id });
      if (b.wait?.nextTryAt != null) seen.push({ at, next: Date.parse(b.wait.nextTryAt), inFlight: b.counts.in_flight });
      await new Promise((r) => setTimeout(r, 100));
    }
    await c.ok('batches', 'cancel', { batchId: batch.id });
    const rows = (await c.ok('deliveries', 'list', { filter: { batchId: batch.id }, limit: 500 })).rows;
    const starts = rows.map((r) => Date.parse(r.startedAt)).sort((x, y) => x - y);
    // A try is made when it starts; its answer (and the next time it sets) comes back after its latency.
    const events = rows.flatMap((r) => [Date.parse(r.startedAt), Date.parse(r.startedAt) + (r.latencyMs ?? 0)]);
    expect(seen.length).toBeGreaterThan(20);
    for (const [i, s] of seen.entries()) {
      if (s.next <= s.at + 200 || s.next > until) continue; // "trying again now", or after the watch ended
      // Some send of the batch is tried at the time shown (with room for a busy machine); not
      // sooner either, unless an answer still on its way set a sooner try.
      const made = starts.find((t) => t >= s.at);
      expect(made, `next try shown at poll ${i} in ${s.next - s.at} ms`).toBeDefined();
      expect(made!).toBeLessThanOrEqual(s.next + 500);
      if (s.inFlight === 0) expect(made!, `next try shown at poll ${i} in ${s.next - s.at} ms`).toBeGreaterThanOrEqual(s.next - 300);
      // Between two readings with no try and no answer in between, the next try does not move later.
      const prev = seen[i - 1];
      if (prev !== undefined && !events.some((t) => t >= prev.at - 50 && t <= s.at + 100)) expect(s.next).toBeLessThanOrEqual(prev.next + 5);
    }
  });

  async function givenUp(): Promise<{ c: TestCore; batchId: string; failed: number; failedWhy: unknown }> {
    const c = await core({ dispatcher: { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } } });
    await stores(c, ['Given Up Shop']);
    await c.ok('sandbox', 'setFaults', { rate429: 1 });
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    const done = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (x) => x.status === 'done', 30_000);
    return { c, batchId: batch.id, failed: done.counts.failed, failedWhy: done.failedWhy };
  }

  it('after the tries are used up, the card says why its sends failed, in words, with the count', async () => {
    const { failed, failedWhy } = await givenUp();
    expect(failed).toBe(3);
    expect(failedWhy).toEqual({ count: 3, reason: 'Postscript kept rate-limiting this key (429) after 3 tries; last answer: Rate limit exceeded' });
  });

  it('the log’s "failed" filter finds the attempts the card counts as failed; "rate limited" the ones tried again', async () => {
    const { c, batchId, failed } = await givenUp();
    const rows = (await c.ok('deliveries', 'list', { filter: { batchId, outcome: 'failed' }, limit: 500 })).rows;
    expect(rows).toHaveLength(failed);
    expect(rows.every((r) => r.responseStatus === 429 && !r.willRetry)).toBe(true);
    const limited = (await c.ok('deliveries', 'list', { filter: { batchId, outcome: 'rate_limited' }, limit: 500 })).rows;
    expect(limited).toHaveLength(6);
    expect(limited.every((r) => r.willRetry)).toBe(true);
  });
});
