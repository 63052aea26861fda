/**
 * What a kill -9 leaves behind, recovered at the next start (issue 19): sends cut off in flight
 * are uncertain attempts in the delivery log, a Sandbox store made just before the kill still has
 * its key. The kill is a copy of the data directory's files taken while the app runs
 * (helpers/crashCopy.ts); the real kill of a real process is test/integration/killAnyMoment.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INTERRUPTED_MESSAGE } from '../../src-main/outbox/dispatcher';
import { SANDBOX_STATE_FILE } from '../../src-main/sandbox/stateFile';
import { startCore, type TestCore } from '../helpers/core';
import { copyAsKilled } from '../helpers/crashCopy';
import { waitFor } from '../helpers/waitFor';

const open: Array<{ close(): Promise<void> }> = [];
const dirs: Array<() => void> = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
  for (const d of dirs.splice(0)) d();
});
async function core(options: Parameters<typeof startCore>[0] = {}): Promise<TestCore> {
  const c = await startCore(options);
  open.push(c);
  return c;
}
function killedCopy(c: TestCore): string {
  const copy = copyAsKilled(c.dir);
  dirs.push(copy.cleanup);
  return copy.dir;
}

async function sandboxStore(c: TestCore, name: string, events: string[]): Promise<string> {
  const domain = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const s = await c.ok('stores', 'create', { name, shopDomain: domain, account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
  for (const e of events) await c.ok('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
  return s.id;
}

describe('kill -9 mid-batch', () => {
  it('puts each send that was in flight in the delivery log as an uncertain attempt', async () => {
    const a = await core();
    const events = ['subscription_renewed', 'subscription_created', 'card_expiration', 'subscription_cancelled'];
    const ids = [await sandboxStore(a, 'Kill One', events), await sandboxStore(a, 'Kill Two', events)];
    // Answers take long enough that the "kill" lands with every send in flight.
    await a.ok('sandbox', 'setFaults', { delayMs: 3000 });
    const { batch } = await a.ok('batches', 'create', { stores: { kind: 'ids', storeIds: ids }, events: { kind: 'enabled' } });
    await waitFor(() => a.core.ctx.outbox.counts(batch.id), (n) => n.in_flight === 8);
    const dir = killedCopy(a);

    const b = await core({ dir });
    await b.core.checked;
    const items = (await b.ok('batches', 'items', { batchId: batch.id, limit: 100 })).rows;
    expect(items.map((i) => i.state)).toEqual(Array(8).fill('uncertain'));
    // The log's "uncertain" filter lists each, with the reason and the request that went out.
    const logged = (await b.ok('deliveries', 'list', { filter: { outcome: 'uncertain' }, limit: 100 })).rows;
    expect(logged.map((d) => d.outboxId).sort()).toEqual(items.map((i) => i.id).sort());
    const one = await b.ok('deliveries', 'get', { id: logged[0]!.id });
    expect(one.errorMessage).toBe(INTERRUPTED_MESSAGE);
    expect(one.requestBody).toBe(JSON.stringify(JSON.parse(one.requestBody)));
    expect(JSON.parse(one.requestBody)).toMatchObject({ external_id: one.externalId });
    expect(one.requestHeaders.authorization).toMatch(/^Bearer sk_…[0-9a-f]{4}$/);
    expect(one.attempt).toBe(1);
    // Resend from the log works on it: a new send of the same event, delivered.
    const again = await b.ok('outbox', 'resend', { itemId: one.outboxId! });
    const done = await b.settled(again.id);
    expect(done.lastError).toBeNull();
    expect(done.state).toBe('delivered');
    // Nothing was sent again by itself: only the resend reached the new run's Sandbox.
    expect(b.core.ctx.sandbox.state.data.events.filter((e) => e.shopId !== 'shop_sandboxdemo01').length).toBeLessThanOrEqual(9);
  });
});

describe('kill -9 right after creating a Sandbox store', () => {
  it('keeps the new shop and its key: after the restart a send is delivered', async () => {
    const a = await core();
    const id = await sandboxStore(a, 'Made Then Killed', ['subscription_renewed']);
    // No wait at all: the kill lands right after the store was created.
    const b = await core({ dir: killedCopy(a) });
    const { item, attempts } = await b.sendTest(id, 'subscription_renewed');
    expect(attempts.map((x) => x.responseStatus)).toEqual([202]);
    expect(item.state).toBe('delivered');
  });

  it('keeps every event the Sandbox answered: its page lists as many as the log delivered', async () => {
    const a = await core();
    const id = await sandboxStore(a, 'Counted Shop', ['subscription_renewed', 'card_expiration', 'subscription_created']);
    await a.ok('tests', 'sendAll', { storeId: id });
    await waitFor(() => a.core.ctx.outbox.counts(), (n) => n.queued + n.in_flight === 0);
    const b = await core({ dir: killedCopy(a) });
    const delivered = (await b.ok('deliveries', 'list', { filter: { storeId: id, outcome: 'delivered' }, limit: 100 })).rows;
    expect(delivered).toHaveLength(3);
    const shopId = (await b.ok('stores', 'get', { storeId: id })).postscriptShopId!;
    const received = b.core.ctx.sandbox.state.data.events.filter((e) => e.shopId === shopId).map((e) => String(e.body.external_id));
    expect(received.sort()).toEqual(delivered.map((d) => d.externalId).sort());
    const status = await b.ok('sandbox', 'status', {});
    expect(status.eventTypes.reduce((n, t) => n + t.count, 0)).toBeGreaterThanOrEqual(3);
  });
});

describe('the Sandbox state of an older version (sandbox-state.json)', () => {
  it('is imported once into its SQLite file: the store made with it still sends, and the JSON is gone', async () => {
    const a = await core();
    const id = await sandboxStore(a, 'Older Shop', ['subscription_renewed']);
    const shops = a.core.ctx.sandbox.state.data;
    const dir = killedCopy(a);
    // What the older version left: a JSON state and no SQLite file.
    fs.writeFileSync(path.join(dir, 'sandbox-state.json'), JSON.stringify({ ...shops, events: [], eventTypes: {} }), { mode: 0o600 });
    for (const f of fs.readdirSync(dir)) if (f.startsWith(SANDBOX_STATE_FILE)) fs.rmSync(path.join(dir, f));
    const b = await core({ dir });
    expect(fs.existsSync(path.join(dir, 'sandbox-state.json'))).toBe(false);
    expect((await b.sendTest(id, 'subscription_renewed')).item.state).toBe('delivered');
  });
});
