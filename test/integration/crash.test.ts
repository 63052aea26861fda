/**
 * kill -9 in the middle of a batch, then restart: every item ends delivered, failed, uncertain or
 * still queued, each exactly once, and Postscript (a Sandbox outside the app) never receives an
 * event twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src-main/sandbox/server';
import { SKIO_EVENTS } from '../../src-shared/events/catalog';
import { BUILD_TIMEOUT_MS, buildFromSource } from '../helpers/buildFromSource';
import { makeTempDir } from '../helpers/tmp';
import { startShellProcess, type ShellProcess } from '../helpers/shellProcess';

describe('kill -9 mid-batch', () => {
  const tmp = makeTempDir('psc-crash-');
  const postscript = new Sandbox();
  let url = '';
  const procs: ShellProcess[] = [];
  beforeAll(buildFromSource, BUILD_TIMEOUT_MS);
  beforeAll(async () => {
    url = await postscript.listen(0);
  });
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await postscript.close();
    tmp.cleanup();
  });

  it('loses nothing and sends nothing twice', { timeout: 90_000 }, async () => {
    const env = { POSTSCRIPT_LIVE_BASE_URL: url };
    const first = await startShellProcess(tmp.dir, env);
    procs.push(first);
    // 13 stores × 11 events = 143 sends: more than the dispatcher runs at once (MAX_IN_FLIGHT, 128), so the kill can
    // land with some delivered, some in flight and some still queued.
    const events = SKIO_EVENTS.map((e) => e.key);
    const storeIds: string[] = [];
    for (let i = 0; i < 13; i++) {
      const { shop_id, api_key } = (await (await fetch(`${url}/_sandbox/shops`, { method: 'POST', body: JSON.stringify({ name: `Crash ${i}` }) })).json()) as { shop_id: string; api_key: string };
      void shop_id;
      const s = await first.call('stores', 'create', { name: `Crash Shop ${i}`, shopDomain: `crash-shop-${i}`, account: 'live', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: api_key } });
      for (const e of events) await first.call('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
      storeIds.push(s.id);
    }
    // Slow answers, so that the kill lands with requests in flight and items still queued.
    postscript.setFaults({ delayMs: 250 });
    const { batch } = await first.call('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    expect(batch.total).toBe(143);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const b = await first.call('batches', 'get', { batchId: batch.id });
      if (b.counts.delivered >= 5 && b.counts.in_flight > 0 && b.counts.queued + b.counts.in_flight > 0) break;
      if (Date.now() > deadline) throw new Error(`batch did not get going: ${JSON.stringify(b.counts)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await first.kill('SIGKILL');
    // Requests the dead app had sent still arrive at Postscript: wait for them to land.
    await new Promise((r) => setTimeout(r, 600));
    postscript.setFaults({ delayMs: 0 });

    const second = await startShellProcess(tmp.dir, env);
    procs.push(second);
    const end = Date.now() + 30_000;
    let final = await second.call('batches', 'get', { batchId: batch.id });
    while (final.status !== 'done') {
      if (Date.now() > end) throw new Error(`batch did not finish after restart: ${JSON.stringify(final)}`);
      await new Promise((r) => setTimeout(r, 50));
      final = await second.call('batches', 'get', { batchId: batch.id });
    }
    const items = (await second.call('batches', 'items', { batchId: batch.id, limit: 1000 })).rows;
    expect(items).toHaveLength(143);
    expect(new Set(items.map((i) => i.externalId)).size).toBe(143);
    for (const i of items) expect(['delivered', 'uncertain']).toContain(i.state);
    expect(final.counts.delivered + final.counts.uncertain).toBe(143);
    // The kill left some in flight: those are uncertain, not resent.
    expect(final.counts.uncertain).toBeGreaterThan(0);
    // Each is in the delivery log as an uncertain attempt, where its filter, exports and resend find it.
    const uncertainIds = items.filter((i) => i.state === 'uncertain').map((i) => i.id).sort();
    const logged = (await second.call('deliveries', 'list', { filter: { outcome: 'uncertain', batchId: batch.id }, limit: 500 })).rows;
    expect(logged.map((d) => d.outboxId!).sort()).toEqual(uncertainIds);

    const received = postscript.state.data.events.map((e) => String(e.body.external_id));
    const times = new Map<string, number>();
    for (const id of received) times.set(id, (times.get(id) ?? 0) + 1);
    for (const i of items) {
      const n = times.get(i.externalId) ?? 0;
      if (i.state === 'delivered') expect(n).toBe(1);
      else expect(n).toBeLessThanOrEqual(1); // uncertain: may or may not have arrived, never twice
    }
    expect(Math.max(...times.values())).toBe(1);
  });
});
