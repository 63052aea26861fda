/**
 * An answer kept in memory during a full disk is written later, but what it meant for pacing and
 * reachability took effect when it arrived, once: writing it later does not block the key again
 * (nor mark an endpoint offline again).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CompletionWindowLimiter } from '../../src-main/ratelimit/completionWindow';
import { coresPerTest } from '../helpers/core';
import { waitFor } from '../helpers/waitFor';

const core = coresPerTest();
afterEach(() => vi.restoreAllMocks());

const full = (): Error => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

describe('answers kept during a full disk', () => {
  it('a 429 answered while the disk is full blocks the key once, not again when the answer is written', async () => {
    const space = { back: true };
    const c = await core({ more: { spaceProbe: () => space.back, spaceProbeEveryMs: 20 } });
    const s = await c.ok('stores', 'create', { name: 'Told To Wait', shopDomain: 'told-to-wait', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_renewed', enabled: true });
    await c.ok('sandbox', 'setFaults', { rate429: 1, remaining: 1 });
    const blocks = vi.spyOn(CompletionWindowLimiter.prototype, 'block');
    const outbox = c.core.ctx.outbox;
    const realSettle = outbox.settle.bind(outbox);
    space.back = false;
    vi.spyOn(outbox, 'settle').mockImplementation((...args) => {
      if (!space.back) throw full();
      return realSettle(...args);
    });
    const item = await c.ok('tests', 'send', { storeId: s.id, eventKey: 'subscription_renewed' });
    await waitFor(() => c.ok('dataHealth', 'status', {}), (h) => h.unrecorded.length === 1);
    expect(blocks).toHaveBeenCalledTimes(1);
    space.back = true; // the kept 429 is written, the item retried and delivered
    const done = await c.settled(item.id, 15_000);
    expect(done.state).toBe('delivered');
    expect(blocks).toHaveBeenCalledTimes(1);
  });
});
