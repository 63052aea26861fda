/**
 * Moving the webhook listener (Settings): the Sandbox stores' webhook registrations follow it by
 * themselves, so the SKIP tester works at once without "Set up" again; a live store's registration
 * (through the agent's tunnel) is left as it is in Postscript, and the agent is told which live
 * stores still point at the old address: an alert, the SKIP tester, the readiness report.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src-main/sandbox/server';
import { coresPerTest, startCore, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();
const open: Sandbox[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

function alerts(c: TestCore): Array<{ level: string; message: string }> {
  return c.sentToRenderer
    .map((t) => JSON.parse(t) as { event?: string; payload?: { level: string; message: string } })
    .filter((m) => m.event === 'alert')
    .map((m) => m.payload!);
}

/** Moves the listener to another loopback address (the port stays "any free one", as tests start it). */
async function moveListener(c: TestCore): Promise<{ from: string; to: string }> {
  const from = c.core.ctx.listener.status().url!;
  await c.ok('settings', 'save', { listenerHost: '127.0.0.2' });
  const to = c.core.ctx.listener.status().url!;
  expect(to).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/postscript\/webhooks$/);
  return { from, to };
}

describe('moving the webhook listener', () => {
  it('re-registers the Sandbox stores’ webhooks to the new address, so SKIP works without setting up again', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { name: 'Move Shop', shopDomain: 'move-shop', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await c.ok('skip', 'setup', { storeId: s.id });
    await c.ok('skip', 'setSubscription', { storeId: s.id, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });

    const { to } = await moveListener(c);
    const st = await c.ok('skip', 'status', { storeId: s.id });
    expect(st.callbackUrl).toBe(`${to}/${s.id}`);
    expect(st.registrations.map((r) => r.callbackUrl)).toEqual([`${to}/${s.id}`]);
    expect(st.listenerMoved).toBeNull();
    // In the Sandbox itself: one subscription, at the new address (the old one is removed).
    const shop = c.core.ctx.sandbox.state.shopById(s.postscriptShopId!)!;
    expect(shop.webhooks.map((w) => w.callback_url)).toEqual([`${to}/${s.id}`]);
    expect(alerts(c)).toEqual([expect.objectContaining({ level: 'info', message: expect.stringContaining('Move Shop were registered to the new address') })]);

    const r = await c.ok('skip', 'simulate', { storeId: s.id, variant: 'skip' });
    expect(r.statuses).toEqual([200]);
    expect(r).toMatchObject({ before: '2030-01-15', after: '2030-02-14' });
  });

  it('when the Sandbox refuses the re-registration, says to run Set up again; SKIP then sets up by itself', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { name: 'Flaky Move', shopDomain: 'flaky-move', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await c.ok('skip', 'setup', { storeId: s.id });
    await c.ok('skip', 'setSubscription', { storeId: s.id, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });
    await c.ok('sandbox', 'setFaults', { rate5xx: 1, remaining: 1 }); // the next Sandbox call fails
    const { from, to } = await moveListener(c);
    expect(alerts(c)).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/Sandbox webhooks of Flaky Move .* could not be registered again: run “Set up”/) })]);
    expect((await c.ok('skip', 'status', { storeId: s.id })).listenerMoved).toMatchObject({ from, to, failed: expect.any(String) });
    expect((await c.ok('readiness', 'get', { storeId: s.id })).checks.find((k) => k.id === 'webhooks')).toMatchObject({ status: 'warn', action: 'Run “Set up” in the SKIP tester.' });

    const r = await c.ok('skip', 'simulate', { storeId: s.id, variant: 'skip' });
    expect(r.statuses).toEqual([200]);
    const st = await c.ok('skip', 'status', { storeId: s.id });
    expect(st.listenerMoved).toBeNull();
    expect(c.core.ctx.sandbox.state.shopById(s.postscriptShopId!)!.webhooks.map((w) => w.callback_url)).toEqual([`${to}/${s.id}`]);
  });

  it('leaves a live store’s registration alone and says that it still points at the old address, until registered again', async () => {
    const live = new Sandbox();
    open.push(live);
    const c = await core({ liveBaseUrl: await live.listen(0, '127.0.0.1') });
    const { shop, privateKey } = live.state.createShop('Live Move');
    const s = await c.ok('stores', 'create', { name: 'Live Move', shopDomain: 'live-move', account: 'live', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: privateKey } });
    const tunnel = `https://tunnel.example.dev/postscript/webhooks/${s.id}`;
    await c.ok('skip', 'register', { storeId: s.id, callbackUrl: tunnel });
    const before = shop.webhooks.map((w) => ({ id: w.id, url: w.callback_url }));

    const { from, to } = await moveListener(c);
    expect(shop.webhooks.map((w) => ({ id: w.id, url: w.callback_url }))).toEqual(before); // not touched in Postscript
    const warning = alerts(c).find((a) => a.level === 'warning');
    expect(warning?.message).toContain(`moved from ${from} to ${to}`);
    expect(warning?.message).toContain('live stores still have webhooks registered through a tunnel to the old address: Live Move');

    const st = await c.ok('skip', 'status', { storeId: s.id });
    expect(st.listenerMoved).toMatchObject({ from, to, failed: null });
    const check = (await c.ok('readiness', 'get', { storeId: s.id })).checks.find((k) => k.id === 'webhooks');
    expect(check).toMatchObject({ status: 'warn', evidence: expect.stringContaining(`still point at the old address: ${tunnel}`) });

    // The agent re-points the tunnel and registers again: nothing is said any more.
    await c.ok('skip', 'register', { storeId: s.id, callbackUrl: 'https://tunnel2.example.dev/postscript/webhooks' });
    expect((await c.ok('skip', 'status', { storeId: s.id })).listenerMoved).toBeNull();
  });

  it('follows a listener that comes up on another port at the next start (its usual port was taken)', async () => {
    const tmp = makeTempDir();
    try {
      const first = await startCore({ dir: tmp.dir });
      const s = await first.ok('stores', 'create', { name: 'Restart Shop', shopDomain: 'restart-shop', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
      await first.ok('skip', 'setup', { storeId: s.id });
      await first.ok('skip', 'setSubscription', { storeId: s.id, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });
      const before = (await first.ok('skip', 'status', { storeId: s.id })).callbackUrl;
      await first.close();

      const second = await startCore({ dir: tmp.dir }); // port 0 again: another free port
      try {
        const now = (await second.ok('skip', 'status', { storeId: s.id })).callbackUrl;
        expect(now).not.toBe(before);
        const shop = second.core.ctx.sandbox.state.shopById(s.postscriptShopId!)!;
        await expect.poll(() => shop.webhooks.map((w) => w.callback_url)).toEqual([now]);
        expect((await second.ok('skip', 'simulate', { storeId: s.id, variant: 'skip' })).statuses).toEqual([200]);
      } finally {
        await second.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
