/**
 * A kill at any moment (issue 19.8): the app (the browser shell, built from the current source) is
 * killed with SIGKILL at many moments of a batch and of store set-up, and restarted on the same data
 * directory each time. At the end, every send is in exactly one named state and in the delivery
 * log, none was received twice, and every store's key is still accepted.
 *
 * Two Postscripts: the app's own in-process Sandbox (slowed, so kills land with sends in flight and
 * while a new Sandbox store's key is being checked), and a Sandbox outside the app as the "live"
 * endpoint, which outlives every kill and so counts what really arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src-main/sandbox/server';
import type { OutboxItem } from '../../src-shared/ipc/contract';
import { BUILD_TIMEOUT_MS, buildFromSource } from '../helpers/buildFromSource';
import { startShellProcess, type ShellProcess } from '../helpers/shellProcess';
import { makeTempDir } from '../helpers/tmp';

const EVENTS = ['subscription_created', 'subscription_renewed', 'card_expiration', 'subscription_cancelled'];
const FINAL = ['delivered', 'failed', 'uncertain', 'cancelled'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('kill -9 at any moment of a batch and of store set-up', () => {
  const tmp = makeTempDir('psc-kill-');
  const live = new Sandbox();
  let liveUrl = '';
  let app: ShellProcess | null = null;
  beforeAll(buildFromSource, BUILD_TIMEOUT_MS);
  beforeAll(async () => {
    liveUrl = await live.listen(0);
  });
  afterAll(async () => {
    await app?.kill('SIGKILL');
    await live.close();
    tmp.cleanup();
  });

  /** Starts the app on the data directory; resolves with it and its own Sandbox's URL. */
  async function start(): Promise<{ app: ShellProcess; sandboxUrl: string }> {
    const started = await startShellProcess(tmp.dir, { POSTSCRIPT_LIVE_BASE_URL: liveUrl });
    app = started;
    for (let i = 0; i < 200 && !/Sandbox \(Postscript-compatible API\): (http:\S+)/.test(started.output()); i++) await sleep(25);
    const sandboxUrl = /Sandbox \(Postscript-compatible API\): (http:\S+)/.exec(started.output())![1]!;
    // Slow answers from the app's own Sandbox: kills land with sends in flight and key checks under way.
    await started.call('sandbox', 'setFaults', { delayMs: 120 });
    return { app: started, sandboxUrl };
  }

  async function kill(a: ShellProcess): Promise<void> {
    await a.kill('SIGKILL');
    app = null;
  }

  it('leaves every send in one named state and in the log, none received twice, every key accepted', { timeout: 120_000 }, async () => {
    const batches: string[] = [];
    // Store set-up, killed at growing moments: while the new Sandbox shop's key is checked, and after.
    for (const [round, waitMs] of [0, 60, 150, 400].entries()) {
      const { app: a } = await start();
      const created = a.call('stores', 'create', { name: `Setup ${round}`, shopDomain: `setup-${round}`, account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
      created.catch(() => undefined); // the kill may cut it off: then the store may or may not exist
      await sleep(waitMs);
      await kill(a);
    }
    // Batches across both Postscripts, killed at growing moments: before a claim, mid-flight, near the end.
    for (const [round, waitMs] of [0, 100, 250, 500, 900].entries()) {
      const { app: a } = await start();
      const { shop_id: _shop, api_key } = (await (await fetch(`${liveUrl}/_sandbox/shops`, { method: 'POST', body: JSON.stringify({ name: `Live ${round}` }) })).json()) as {
        shop_id: string;
        api_key: string;
      };
      const liveStore = await a.call('stores', 'create', { name: `Live ${round}`, shopDomain: `live-${round}`, account: 'live', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: api_key } });
      const ownStore = await a.call('stores', 'create', { name: `Own ${round}`, shopDomain: `own-${round}`, account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
      for (const s of [liveStore, ownStore]) for (const e of EVENTS) await a.call('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
      live.setFaults({ delayMs: 120 });
      const { batch } = await a.call('batches', 'create', { stores: { kind: 'ids', storeIds: [liveStore.id, ownStore.id] }, events: { kind: 'enabled' } });
      batches.push(batch.id);
      await sleep(waitMs);
      await kill(a);
      // Requests the dead app sent still arrive at the live Postscript: let them land.
      await sleep(200);
    }
    live.setFaults({ delayMs: 0 });

    // The last start: nothing killed; what was queued goes out, what was in flight stays uncertain.
    const { app: a, sandboxUrl } = await start();
    await a.call('sandbox', 'setFaults', { delayMs: 0 });
    const items: OutboxItem[] = [];
    for (const id of batches) {
      const deadline = Date.now() + 30_000;
      while ((await a.call('batches', 'get', { batchId: id })).status !== 'done') {
        if (Date.now() > deadline) throw new Error(`batch ${id} did not finish: ${JSON.stringify(await a.call('batches', 'get', { batchId: id }))}`);
        await sleep(50);
      }
      items.push(...(await a.call('batches', 'items', { batchId: id, limit: 1000 })).rows);
    }
    expect(items).toHaveLength(batches.length * 2 * EVENTS.length);

    // Every send in exactly one named state, and in the delivery log with an attempt that says so.
    const log = (await a.call('deliveries', 'list', { filter: {}, limit: 500 })).rows;
    const attemptsOf = new Map<number, string[]>();
    for (const d of log) if (d.outboxId !== null) attemptsOf.set(d.outboxId, [...(attemptsOf.get(d.outboxId) ?? []), d.outcome]);
    const states = new Map<string, number>();
    for (const i of items) {
      expect(FINAL).toContain(i.state);
      states.set(i.state, (states.get(i.state) ?? 0) + 1);
      const outcomes = attemptsOf.get(i.id) ?? []; // newest first, as the log lists them
      expect([i.externalId, outcomes.length > 0]).toEqual([i.externalId, true]);
      // Its last attempt says what the send ended as (a cancelled one never started).
      if (i.state !== 'cancelled') expect([i.externalId, outcomes[0]]).toEqual([i.externalId, i.state === 'failed' ? expect.stringMatching(/failed|rate_limited/) : i.state]);
    }
    // The kills did land mid-flight (some uncertain) and were recovered from (some delivered).
    expect(states.get('uncertain') ?? 0).toBeGreaterThan(0);
    expect(states.get('delivered') ?? 0).toBeGreaterThan(0);

    // None received twice, by either Postscript; a delivered send was received exactly once.
    const own = ((await (await fetch(`${sandboxUrl}/_sandbox/events`)).json()) as { events: Array<{ body: { external_id?: unknown } }> }).events;
    const received = new Map<string, number>();
    for (const e of [...live.state.data.events, ...own]) received.set(String(e.body.external_id), (received.get(String(e.body.external_id)) ?? 0) + 1);
    for (const i of items) {
      const n = received.get(i.externalId) ?? 0;
      expect([i.externalId, i.state, n <= 1]).toEqual([i.externalId, i.state, true]);
      if (i.state === 'delivered') expect([i.externalId, n]).toEqual([i.externalId, 1]);
    }

    // Every store's key is still accepted, those made a moment before a kill included.
    const stores = await a.call('stores', 'list', {});
    expect(stores.length).toBeGreaterThanOrEqual(batches.length * 2);
    for (const s of stores) {
      await a.call('triggers', 'set', { storeId: s.id, eventKey: 'subscription_renewed', enabled: true });
      const sent = await a.call('tests', 'send', { storeId: s.id, eventKey: 'subscription_renewed' });
      let attempt: { outcome: string; errorMessage: string | null } | undefined;
      for (let i = 0; i < 400 && attempt === undefined; i++) {
        attempt = (await a.call('deliveries', 'list', { filter: { storeId: s.id }, limit: 50 })).rows.find((d) => d.outboxId === sent.id);
        if (attempt === undefined) await sleep(25);
      }
      expect([s.name, attempt?.outcome, attempt?.errorMessage]).toEqual([s.name, 'delivered', null]);
    }
  });
});
