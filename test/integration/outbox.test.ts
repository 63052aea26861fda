/** The outbox: retry classes, offline then online, pacing under the limit, batches. */
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src-main/sandbox/server';
import { DEMO_PRIVATE_KEY, DEMO_SHOP_ID } from '../../src-main/sandbox/state';
import { startCore, type TestCore } from '../helpers/core';
import { waitFor } from '../helpers/waitFor';
import { maxInWindow } from '../helpers/windows';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});
async function core(options: Parameters<typeof startCore>[0] = {}): Promise<TestCore> {
  const c = await startCore(options);
  open.push(c);
  return c;
}

async function sandboxStore(c: TestCore, name: string, events: string[], testPhone = '+15555550100'): Promise<string> {
  const domain = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const s = await c.ok('stores', 'create', { name, shopDomain: domain, account: 'sandbox', testPhone, credential: { kind: 'sandbox_new_key' } });
  for (const e of events) await c.ok('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
  return s.id;
}



describe('retry classes', () => {
  it('retries a 429 (error 3002) and then delivers; each attempt is its own log row', async () => {
    const c = await core();
    const id = await sandboxStore(c, 'Retry Shop', ['subscription_renewed']);
    await c.ok('sandbox', 'setFaults', { rate429: 1, remaining: 1 });
    const { item, attempts } = await c.sendTest(id, 'subscription_renewed');
    expect(item.state).toBe('delivered');
    expect(attempts.map((a) => [a.attempt, a.outcome, a.responseStatus, a.errorCode, a.willRetry])).toEqual([
      [1, 'rate_limited', 429, 3002, true],
      [2, 'delivered', 202, null, false],
    ]);
    // Same bytes both times: the retry is the same event, not a new one.
    expect(attempts[0]!.requestBody).toBe(attempts[1]!.requestBody);
  });

  it('after a 429 the whole token waits a window: its retry and its next item too, while another token sends at once', async () => {
    // Guards against the dispatcher not calling limiter.block() on a 429 (or block() holding back
    // only one slot): the retry backoff here is a few ms, so only the pause keeps these a window apart.
    const c = await core({ dispatcher: { retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 10 } } });
    const id = await sandboxStore(c, 'Told To Wait', ['subscription_renewed']);
    const other = await sandboxStore(c, 'Other Token', ['subscription_renewed']);
    await new Promise((r) => setTimeout(r, 1100)); // let the key checks' slots expire: they count too
    await c.ok('sandbox', 'setFaults', { rate429: 1, remaining: 1 });
    const first = await c.ok('tests', 'send', { storeId: id, eventKey: 'subscription_renewed' });
    const limited = await waitFor(
      () => c.ok('deliveries', 'list', { filter: { storeId: id } }),
      (l) => l.rows.some((r) => r.outcome === 'rate_limited'),
    );
    const row429 = limited.rows.find((r) => r.outcome === 'rate_limited')!;
    const answeredAt = Date.parse(row429.startedAt) + (row429.latencyMs ?? 0);
    const second = await c.ok('tests', 'send', { storeId: id, eventKey: 'subscription_renewed' });
    const elsewhere = await c.ok('tests', 'send', { storeId: other, eventKey: 'subscription_renewed' });
    for (const itemId of [first.id, second.id, elsewhere.id]) expect((await c.settled(itemId, 10_000)).state).toBe('delivered');

    const shopOf = async (s: string) => (await c.ok('stores', 'get', { storeId: s })).postscriptShopId!;
    const events = c.core.ctx.sandbox.state.data.events;
    const arrivals = (shop: string) => events.filter((e) => e.shopId === shop).map((e) => Date.parse(e.receivedAt));
    const blocked = arrivals(await shopOf(id));
    expect(blocked).toHaveLength(2); // the retry and the second item; the 429 stored nothing
    // 950: the log's and the Sandbox's clocks are read a few ms apart; without the pause these land within ~50 ms.
    for (const t of blocked) expect(t - answeredAt).toBeGreaterThanOrEqual(950);
    const [free] = arrivals(await shopOf(other));
    expect(free! - answeredAt).toBeLessThan(900);
  });

  it('retries 5xx, then delivers', async () => {
    const c = await core();
    const id = await sandboxStore(c, 'Flaky Shop', ['subscription_renewed']);
    await c.ok('sandbox', 'setFaults', { rate5xx: 1, remaining: 2 });
    const { item, attempts } = await c.sendTest(id, 'subscription_renewed');
    expect(item.state).toBe('delivered');
    expect(attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'delivered']);
    expect(attempts.slice(0, 2).every((a) => a.willRetry)).toBe(true);
  });

  it('gives up after the maximum number of attempts and says so', async () => {
    const c = await core({ dispatcher: { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } } });
    const id = await sandboxStore(c, 'Down Shop', ['subscription_renewed']);
    await c.ok('sandbox', 'setFaults', { rate5xx: 1 });
    const { item, attempts } = await c.sendTest(id, 'subscription_renewed');
    expect(item.state).toBe('failed');
    expect(item.lastError).toMatch(/Postscript kept answering 5\d\d \(a server error\) after 3 tries/);
    expect(attempts).toHaveLength(3);
    expect(attempts.at(-1)!.willRetry).toBe(false);
  });

  it('fails other 4xx at once with Postscript’s message', async () => {
    const c = await core();
    // A phone the shop has no subscriber for: Postscript answers 404.
    const id = await sandboxStore(c, 'Nobody Shop', ['subscription_renewed'], '+15555550199');
    const { item, attempts } = await c.sendTest(id, 'subscription_renewed');
    expect(item.state).toBe('failed');
    expect(attempts).toHaveLength(1);
    expect(item.lastError).toMatch(/404: Could not find subscriber/);
  });

  it('calls a request with no answer in time uncertain, and does not retry it by itself', async () => {
    const c = await core({ dispatcher: { timeoutMs: 150, retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 20 } } });
    const id = await sandboxStore(c, 'Slow Shop', ['subscription_renewed']);
    await c.ok('sandbox', 'setFaults', { delayMs: 600, remaining: 1 });
    const { item, attempts } = await c.sendTest(id, 'subscription_renewed');
    expect(item.state).toBe('uncertain');
    expect(attempts).toHaveLength(1);
    expect(item.lastError).toMatch(/may or may not have received it/);
  });

  it('resends an uncertain send only when asked, as a new event', async () => {
    const c = await core();
    const id = await sandboxStore(c, 'Resend Shop', ['subscription_renewed']);
    await c.ok('sandbox', 'setFaults', { dropRate: 1, remaining: 1 });
    const first = await c.sendTest(id, 'subscription_renewed');
    expect(first.item.state).toBe('uncertain');
    const again = await c.ok('outbox', 'resend', { itemId: first.item.id });
    expect(again.externalId).not.toBe(first.item.externalId);
    expect((await c.settled(again.id)).state).toBe('delivered');
  });
});

describe('offline', () => {
  it('pauses while Postscript is unreachable, says how many wait, and drains by itself when it is back', async () => {
    const live = new Sandbox();
    const url = await live.listen(0);
    const port = Number(new URL(url).port);
    const c = await core({ liveBaseUrl: url });
    const s = await c.ok('stores', 'create', { name: 'Live', shopDomain: 'live-shop', account: 'live', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_renewed', enabled: true });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_created', enabled: true });
    await live.close(); // the network goes away

    expect((await c.ok('tests', 'sendAll', { storeId: s.id })).queued).toBe(2);
    const offline = await waitFor(() => c.ok('outbox', 'status', {}), (st) => !st.online);
    expect(offline).toMatchObject({ online: false, waiting: 2 });
    expect(offline.offline[0]!.endpoint).toBe(url);

    const back = new Sandbox();
    open.push(back);
    await back.listen(port); // ...and comes back
    const online = await waitFor(() => c.ok('outbox', 'status', {}), (st) => st.online && st.waiting === 0);
    expect(online.uncertain).toBe(0);
    const received = back.state.data.events.filter((e) => e.shopId === DEMO_SHOP_ID).map((e) => e.type).sort();
    expect(received).toEqual(['Skio_NewSubscriptionCreated', 'Skio_SubscriptionRenewed']);
    const rows = (await c.ok('deliveries', 'list', { filter: { storeId: s.id } })).rows;
    // The attempt that found no connection is logged, marked as one that will be retried.
    expect(rows.some((r) => r.responseStatus === null && r.willRetry)).toBe(true);
    expect(rows.filter((r) => r.outcome === 'delivered')).toHaveLength(2);
  });
});

describe('pacing', () => {
  it('never lets Postscript see more than 15 requests in any one-second window for one token, and causes no 429', async () => {
    const c = await core();
    const id = await sandboxStore(c, 'Busy Shop', ['subscription_renewed']);
    const shopId = (await c.ok('stores', 'get', { storeId: id })).postscriptShopId!;
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push((await c.ok('tests', 'send', { storeId: id, eventKey: 'subscription_renewed' })).id);
    for (const itemId of ids) expect((await c.settled(itemId, 30_000)).state).toBe('delivered');
    const sandbox = c.core.ctx.sandbox;
    const stamps = sandbox.state.data.events.filter((e) => e.shopId === shopId).map((e) => Date.parse(e.receivedAt));
    expect(stamps).toHaveLength(40);
    expect(maxInWindow(stamps, 1000)).toBeLessThanOrEqual(15);
    expect(sandbox.stats.rateLimited).toBe(0);
  });

  it('sends for different tokens in parallel', async () => {
    const c = await core();
    const stores: string[] = [];
    for (let i = 0; i < 4; i++) stores.push(await sandboxStore(c, `Parallel ${i}`, ['subscription_renewed']));
    const shopIds = await Promise.all(stores.map(async (s) => (await c.ok('stores', 'get', { storeId: s })).postscriptShopId!));
    await new Promise((r) => setTimeout(r, 1100)); // let the key checks' slots expire: they count too
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'ids', storeIds: stores }, events: { kind: 'enabled' } });
    for (const s of stores) for (let i = 0; i < 29; i++) await c.ok('tests', 'send', { storeId: s, eventKey: 'subscription_renewed' });
    await waitFor(() => c.ok('outbox', 'status', {}), (st) => st.waiting === 0, 30_000);
    expect((await c.ok('batches', 'get', { batchId: batch.id })).status).toBe('done');
    const events = c.core.ctx.sandbox.state.data.events;
    const first = Math.min(...events.map((e) => Date.parse(e.receivedAt)));
    // Within the first second every token got its full 15: they did not wait for each other.
    for (const shop of shopIds) {
      const inFirstSecond = events.filter((e) => e.shopId === shop && Date.parse(e.receivedAt) - first < 1000).length;
      expect(inFirstSecond).toBe(15);
    }
    for (const shop of shopIds) expect(maxInWindow(events.filter((e) => e.shopId === shop).map((e) => Date.parse(e.receivedAt)), 1000)).toBeLessThanOrEqual(15);
  });
});

describe('batches', () => {
  it('picks stores from a CSV of domains, reports unknown ones and stores with nothing to send', async () => {
    const c = await core();
    await sandboxStore(c, 'Alpha', ['subscription_renewed', 'card_expiration']);
    await sandboxStore(c, 'Beta', []);
    const r = await c.ok('batches', 'create', {
      stores: { kind: 'csv', csv: 'shop_domain\nalpha.myshopify.com\n"https://beta.myshopify.com/admin"\ngamma.myshopify.com\nbad domain\n' },
      events: { kind: 'enabled' },
    });
    expect(r.batch.total).toBe(2);
    // The header is passed over; a line that is no domain at all is reported, not dropped.
    expect(r.unknownDomains).toEqual(['gamma.myshopify.com', 'bad domain']);
    expect(r.skippedStores).toEqual([{ name: 'Beta', reason: 'no events turned on' }]);
    await waitFor(() => c.ok('batches', 'get', { batchId: r.batch.id }), (b) => b.status === 'done');
  });

  it('pause holds queued items, resume drains them, counts add up', async () => {
    const c = await core();
    const ids = [await sandboxStore(c, 'Pause One', ['subscription_renewed', 'card_expiration', 'subscription_created'])];
    await c.ok('sandbox', 'setFaults', { delayMs: 150 });
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'ids', storeIds: ids }, events: { kind: 'enabled' } });
    await c.ok('batches', 'pause', { batchId: batch.id });
    await new Promise((r) => setTimeout(r, 400));
    const paused = await c.ok('batches', 'get', { batchId: batch.id });
    expect(paused.status).toBe('paused');
    expect(paused.counts.queued + paused.counts.in_flight + paused.counts.delivered).toBe(3);
    const deliveredWhilePaused = paused.counts.delivered;
    // The outbox status tells held sends apart from those going out (the banner says "held in paused batches").
    const status = await c.ok('outbox', 'status', {});
    expect(status.paused).toBe(paused.counts.queued);
    expect(status.waiting).toBeGreaterThanOrEqual(status.paused);
    await new Promise((r) => setTimeout(r, 400));
    expect((await c.ok('batches', 'get', { batchId: batch.id })).counts.delivered).toBe(deliveredWhilePaused);
    await c.ok('sandbox', 'setFaults', { delayMs: 0 });
    await c.ok('batches', 'resume', { batchId: batch.id });
    const done = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (b) => b.status === 'done');
    expect(done.counts).toMatchObject({ delivered: 3, queued: 0, in_flight: 0 });
    expect((await c.ok('outbox', 'status', {})).paused).toBe(0);
  });

  it('cancel stops what has not started; in-flight sends finish; nothing is lost', async () => {
    // Two at a time, so that some are in flight and some still queued when the agent cancels.
    const c = await core({ dispatcher: { maxConcurrent: 2, retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 } } });
    const stores = [await sandboxStore(c, 'Cancel One', ['subscription_renewed']), await sandboxStore(c, 'Cancel Two', ['subscription_renewed'])];
    for (const s of stores) for (const e of ['card_expiration', 'subscription_created', 'billing_attempt_failed']) await c.ok('triggers', 'set', { storeId: s, eventKey: e, enabled: true });
    await c.ok('sandbox', 'setFaults', { delayMs: 300 });
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'ids', storeIds: stores }, events: { kind: 'enabled' } });
    await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (b) => b.counts.in_flight > 0);
    const cancelled = await c.ok('batches', 'cancel', { batchId: batch.id });
    expect(cancelled.status).toBe('cancelled');
    const settledBatch = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (b) => b.counts.in_flight === 0);
    expect(settledBatch.counts.cancelled).toBeGreaterThan(0);
    expect(settledBatch.counts.delivered).toBeGreaterThan(0);
    expect(settledBatch.counts.delivered + settledBatch.counts.cancelled).toBe(8);
    const resumed = await c.call('batches', 'resume', { batchId: batch.id });
    expect(resumed).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('exports a report and re-runs only what failed', async () => {
    const c = await core();
    const good = await sandboxStore(c, 'Good', ['subscription_renewed']);
    const bad = await sandboxStore(c, 'Bad, Inc', ['subscription_renewed'], '+15555550199');
    const { batch } = await c.ok('batches', 'create', { name: 'Morning run', stores: { kind: 'ids', storeIds: [good, bad] }, events: { kind: 'enabled' } });
    const done = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (b) => b.status === 'done');
    expect(done.counts).toMatchObject({ delivered: 1, failed: 1 });

    const report = await c.ok('batches', 'exportCsv', { batchId: batch.id });
    const lines = report.csv.trim().split('\r\n');
    expect(lines[0]).toBe('store,shop_domain,event,postscript_type,external_id,state,attempts,last_error,queued_at,finished_at');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('"Bad, Inc"'))).toMatch(/,failed,1,Postscript answered 404/);
    expect(lines.find((l) => l.startsWith('Good,'))).toContain(',delivered,1,');

    const rerun = await c.ok('batches', 'rerunFailed', { batchId: batch.id });
    expect(rerun).toMatchObject({ total: 1, rerunOf: batch.id, name: 'Re-run of Morning run' });
    const items = await c.ok('batches', 'items', { batchId: rerun.id });
    expect(items.rows.map((r) => r.storeName)).toEqual(['Bad, Inc']);
  });
});

describe('bad input and a full disk', () => {
  it('refuses a batch with nothing to send, with the reason', async () => {
    const c = await core();
    await sandboxStore(c, 'Empty', []);
    const r = await c.call('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('a full disk', () => {
  it('refuses the batch with a clear message and leaves the queue as it was', async () => {
    const c = await core();
    await sandboxStore(c, 'Full Disk', ['subscription_renewed', 'card_expiration']);
    await c.ok('batches', 'pause', { batchId: (await c.ok('batches', 'create', { name: 'held', stores: { kind: 'all' }, events: { kind: 'enabled' } })).batch.id });
    // Let the database grow by no page at all: SQLite answers SQLITE_FULL, as on a full disk.
    const pages = c.core.db.pragma('page_count', { simple: true }) as number;
    c.core.db.pragma(`max_page_count = ${pages}`);
    let failure: { message: string } | null = null;
    let before = c.core.ctx.outbox.counts(); // what was saved before the write that failed
    let batchesBefore = 0;
    for (let i = 0; i < 500 && failure === null; i++) {
      before = c.core.ctx.outbox.counts();
      batchesBefore = c.core.ctx.outbox.listBatches(1000).length;
      const r = await c.call('batches', 'create', { name: `fill ${i} ${'x'.repeat(100)}`, stores: { kind: 'all' }, events: { kind: 'enabled' } });
      if (!r.ok) failure = r.error;
      else await c.ok('batches', 'pause', { batchId: r.value.batch.id });
    }
    c.core.db.pragma('max_page_count = 1073741823');
    expect(failure?.message).toMatch(/disk is full, so nothing was saved/);
    // The failed write left no half-batch behind; everything saved before it is still there.
    expect(c.core.ctx.outbox.counts()).toEqual(before);
    expect(c.core.ctx.outbox.listBatches(1000)).toHaveLength(batchesBefore);
  });
});
