/**
 * Setting up a live store while Postscript is out of reach (issue 13): everything entered is
 * kept, tests queue, and when Postscript answers again the app checks the store and sends by
 * itself; a key that turns out wrong sends nothing and says why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src-main/sandbox/server';
import { holdDownPort } from '../helpers/connectProxy';
import { startCore, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function offlineStore(c: TestCore, apiKey: string): Promise<string> {
  const s = await c.ok('stores', 'create', {
    name: 'Hotel Wifi Coffee',
    shopDomain: 'hotel-wifi-coffee',
    account: 'live',
    keyword: 'coffeeclub',
    testPhone: '(555) 555-0100',
    credential: { kind: 'paste', apiKey },
  });
  expect(s).toMatchObject({ keyStatus: 'unchecked', keyword: 'coffeeclub', testPhone: '+15555550100', testUserStatus: 'unchecked', postscriptShopName: null });
  // The agent carries on: triggers, a daysBefore, tests queued.
  await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_created', enabled: true });
  await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'billing_reminder', enabled: true, daysBefore: 5 });
  expect((await c.ok('tests', 'sendAll', { storeId: s.id })).queued).toBe(2);
  return s.id;
}

describe('a live store set up offline', () => {
  it('survives a restart, then is checked and its queued tests delivered when Postscript is back, with nothing more from the agent', async () => {
    const tmp = makeTempDir();
    closers.push(tmp.cleanup);
    const down = await holdDownPort();
    closers.push(() => down.release());
    const port = down.port;
    const liveBaseUrl = `http://127.0.0.1:${port}`;
    const live = new Sandbox();
    const { shop, privateKey } = live.state.createShop('Hotel Wifi Coffee');

    const first = await startCore({ dir: tmp.dir, liveBaseUrl });
    const storeId = await offlineStore(first, privateKey);
    const waiting = await waitFor(() => first.ok('outbox', 'status', {}), (st) => !st.online);
    expect(waiting).toMatchObject({ waiting: 2 });
    expect(waiting.offline[0]!.nextTryAt).not.toBeNull();
    await first.close();

    const c = await startCore({ dir: tmp.dir, liveBaseUrl });
    closers.push(() => c.close());
    expect(await c.ok('stores', 'get', { storeId })).toMatchObject({ keyStatus: 'unchecked' });
    await down.release();
    await live.listen(port, '127.0.0.1'); // Postscript is reachable again
    closers.push(() => live.close());

    const checked = await waitFor(() => c.ok('stores', 'get', { storeId }), (s) => s.keyStatus === 'valid' && s.testUserStatus !== 'unchecked');
    expect(checked).toMatchObject({ postscriptShopName: 'Hotel Wifi Coffee', keyword: 'COFFEECLUB', testUserStatus: 'ok' });
    await waitFor(() => c.ok('outbox', 'status', {}), (st) => st.online && st.waiting === 0);
    const received = live.state.data.events.filter((e) => e.shopId === shop.id).map((e) => e.type).sort();
    expect(received).toEqual(['Skio_BillingReminderNotification', 'Skio_NewSubscriptionCreated']);
    expect(c.sentToRenderer.some((m) => m.includes('"alert"') && m.includes('Hotel Wifi Coffee was checked with Postscript'))).toBe(true);
  });

  it('sends nothing for a key that turns out wrong, and says why on each queued test', async () => {
    const down = await holdDownPort();
    closers.push(() => down.release());
    const c = await startCore({ liveBaseUrl: `http://127.0.0.1:${down.port}` });
    closers.push(() => c.close());
    const storeId = await offlineStore(c, 'sk_live_typo0123456789abcdef');
    const live = new Sandbox();
    await down.release();
    await live.listen(down.port, '127.0.0.1');
    closers.push(() => live.close());

    const refused = await waitFor(() => c.ok('stores', 'get', { storeId }), (s) => s.keyStatus === 'invalid');
    const failed = refused.triggers.filter((t) => t.enabled);
    await waitFor(() => c.ok('outbox', 'status', {}), (st) => st.waiting === 0);
    const rows = (await c.ok('deliveries', 'list', { filter: { storeId } })).rows;
    expect(rows.map((r) => [r.outcome, r.responseStatus])).toEqual(failed.map(() => ['failed', null]));
    expect(rows.every((r) => /Not sent: Postscript refused the API key of Hotel Wifi Coffee/.test(r.errorMessage ?? ''))).toBe(true);
    expect(live.state.data.events).toHaveLength(0);
    expect(c.sentToRenderer.some((m) => m.includes('"alert"') && m.includes('refused the API key saved while offline'))).toBe(true);
  });
});
