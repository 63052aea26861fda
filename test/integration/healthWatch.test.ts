/** The health watch: a revoked key turns a store red and raises one alert; an offline Postscript turns nothing red. */
import { describe, expect, it, vi } from 'vitest';
import { overrideNote, scheduleText } from '../../src-shared/healthSchedule';
import { Sandbox } from '../../src-main/sandbox/server';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { coresPerTest, type TestCore } from '../helpers/core';
import { completedStore } from '../helpers/golive';

const core = coresPerTest();

function alerts(c: TestCore): Array<{ storeName: string; problems: string[]; notified: boolean }> {
  return c.sentToRenderer
    .map((t) => JSON.parse(t) as { event?: string; payload?: { storeName: string; problems: string[]; notified: boolean } })
    .filter((m) => m.event === 'healthAlert')
    .map((m) => m.payload!);
}

describe('health watch', () => {
  it('turns a store whose key was revoked red, once, and keeps its history', async () => {
    const c = await core();
    const id = await completedStore(c);
    // Every check goes through the same per-token pacer as the outbox and the agent's clicks.
    const paced = vi.spyOn(c.core.ctx.pacer, 'acquire');
    await c.ok('readiness', 'runWatch', {});
    expect(paced.mock.calls.map(([token]) => token)).toEqual(Array(3).fill(c.core.ctx.repo.getCredential(id)!.fingerprint));
    paced.mockRestore();
    expect((await c.ok('readiness', 'watchStatus', {})).stores).toEqual([expect.objectContaining({ storeId: id, status: 'green', problems: [] })]);

    await c.ok('readiness', 'revokeSandboxKey', { storeId: id });
    await c.ok('readiness', 'runWatch', {});
    await c.ok('readiness', 'runWatch', {});
    const history = await c.ok('readiness', 'history', { storeId: id });
    expect(history.map((h) => h.status)).toEqual(['red', 'red', 'green']);
    expect(history[0]!.problems[0]).toMatch(/^Postscript refuses the API key \(key ending [a-z0-9]{4}\)/);
    expect(alerts(c)).toEqual([{ storeId: id, storeName: 'Acme Coffee', problems: history[0]!.problems, at: expect.any(String), notified: false }]);
    expect((await c.ok('stores', 'get', { storeId: id })).keyStatus).toBe('invalid');
    expect((await c.ok('readiness', 'get', { storeId: id })).checks[0]).toMatchObject({ id: 'key', status: 'fail' });
  });

  it('re-checks on its own schedule, and main notifies when the shell can (Electron)', async () => {
    const notify = vi.fn();
    const c = await core({ more: { healthIntervalMs: 150, notify } });
    const id = await completedStore(c);
    await c.ok('readiness', 'revokeSandboxKey', { storeId: id });
    await expect.poll(() => alerts(c).length, { timeout: 10_000 }).toBe(1);
    expect(alerts(c)[0]!.notified).toBe(true);
    expect(notify).toHaveBeenCalledWith('Acme Coffee needs attention', expect.stringMatching(/refuses the API key/));
  });

  it('flags a Test Event User who opted out, and a store with no delivered event within N days as amber', async () => {
    const c = await core();
    const id = await completedStore(c);
    await c.ok('readiness', 'setWatch', { successWithinDays: 1 });
    c.core.db.prepare(`UPDATE delivery_summary SET last_success_at = '2020-01-01T00:00:00.000Z' WHERE store_id = ?`).run(id);
    await c.ok('readiness', 'runWatch', {});
    expect((await c.ok('readiness', 'history', { storeId: id }))[0]).toMatchObject({ status: 'amber', problems: [expect.stringMatching(/No event delivered to Postscript in the last 1 day \(/)] });

    const shop = c.core.ctx.sandbox.state.shopById(c.core.ctx.repo.getStore(id)!.postscriptShopId!)!;
    shop.subscribers.find((s) => s.phone_number === '+15555550100')!.transactional = false;
    await c.ok('readiness', 'runWatch', {});
    expect((await c.ok('readiness', 'history', { storeId: id }))[0]).toMatchObject({ status: 'red', problems: expect.arrayContaining([expect.stringMatching(/is not opted in to transactional texts/)]) });
  });

  it('waits while Postscript cannot be reached, marks nothing red, and checks again when it is back', async () => {
    const live = new Sandbox();
    const url = await live.listen(0, '127.0.0.1');
    const port = Number(new URL(url).port);
    const c = await core({ liveBaseUrl: url });
    try {
      const s = await c.ok('stores', 'create', { name: 'Live Shop', shopDomain: 'live-shop', account: 'live', keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
      await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'billing_reminder', enabled: true });
      expect((await c.sendTest(s.id, 'billing_reminder')).item.state).toBe('delivered');
      await c.ok('stores', 'setStep', { storeId: s.id, step: 'done' });
      await c.ok('readiness', 'runWatch', {});
      expect(await c.ok('readiness', 'history', { storeId: s.id })).toHaveLength(1);

      await live.close();
      const offline = await c.ok('readiness', 'runWatch', {});
      expect(offline.waitingFor).toEqual([url]);
      expect(offline.stores).toEqual([expect.objectContaining({ storeId: s.id, status: 'green' })]);
      expect(await c.ok('readiness', 'history', { storeId: s.id })).toHaveLength(1);
      expect(alerts(c)).toEqual([]);

      await live.listen(port, '127.0.0.1');
      await expect.poll(async () => (await c.ok('readiness', 'history', { storeId: s.id })).length, { timeout: 10_000 }).toBe(2);
      expect((await c.ok('readiness', 'history', { storeId: s.id }))[0]!.status).toBe('green');
      expect((await c.ok('readiness', 'watchStatus', {})).waitingFor).toEqual([]);
    } finally {
      await live.close();
    }
  });

  it('skips a store whose key is not yet checked (saved while Postscript was out of reach): not red, and says so', async () => {
    const c = await core();
    const id = await completedStore(c);
    await c.ok('readiness', 'revokeSandboxKey', { storeId: id });
    // As a key saved offline stands until the deferred check has run with Postscript.
    c.core.ctx.repo.setCredentialStatus(id, 'unchecked');
    const st = await c.ok('readiness', 'runWatch', {});
    expect(await c.ok('readiness', 'history', { storeId: id })).toEqual([]);
    expect(alerts(c)).toEqual([]);
    expect(st.notYetChecked).toEqual([{ storeId: id, storeName: 'Acme Coffee' }]);
    expect((await c.ok('stores', 'get', { storeId: id })).keyStatus).toBe('unchecked');

    // Once checked (here: refused), the watch judges it again.
    c.core.ctx.repo.setCredentialStatus(id, 'invalid');
    const after = await c.ok('readiness', 'runWatch', {});
    expect(after.notYetChecked).toEqual([]);
    expect((await c.ok('readiness', 'history', { storeId: id })).map((h) => h.status)).toEqual(['red']);
  });

  it('shows the interval in force when POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS overrides the agent’s setting', async () => {
    vi.stubEnv('POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS', '1800000');
    let c: TestCore;
    try {
      c = await core();
    } finally {
      vi.unstubAllEnvs();
    }
    const st = await c.ok('readiness', 'watchStatus', {});
    expect(st.intervalOverride).toEqual({ ms: 1_800_000, setBy: 'POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS' });
    expect(scheduleText(st)).toBe('every 30 min (set by an environment variable)');
    expect(overrideNote(st)).toBe('POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS sets the interval to 30 min at this launch; your setting of 24 h applies without it.');

    const plain = await core();
    const normal = await plain.ok('readiness', 'watchStatus', {});
    expect(normal.intervalOverride).toBeNull();
    expect(scheduleText(normal)).toBe('every 24 h');
    expect(overrideNote(normal)).toBeNull();
  });
});
