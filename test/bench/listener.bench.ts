/**
 * `npm run bench` (webhook listener): signed shop.incoming_message deliveries on loopback.
 *  A. an open-loop load at a target rate (2,000/s by default) for several seconds: achieved rate,
 *     p50/p99 latency, errors;
 *  B. 1,000 SKIPs, each delivered ten times, shuffled, many at once: the test subscription must be
 *     skipped exactly 1,000 times.
 * The load comes from a worker thread, so it does not share the listener's event loop.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance as perf, PerformanceObserver } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { startCore, type TestCore } from '../helpers/core';

const RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 5);
const results: Record<string, string | number> = {};

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Pool } = require(workerData.undici);
const pool = new Pool(workerData.origin, { connections: 64 });
async function send(body) {
  const t = performance.now();
  try {
    const res = await pool.request({ path: workerData.path, method: 'POST', headers: { ...workerData.hookHeaders, 'content-type': 'application/json', 'postscript-signature': workerData.token }, body });
    await res.body.text();
    return [performance.now() - t, res.statusCode];
  } catch (e) {
    return [performance.now() - t, 0];
  }
}
parentPort.on('message', async (job) => {
  const out = [];
  if (job.kind === 'rate') {
    // Open loop: requests go out on schedule whether or not earlier ones have answered.
    const start = performance.now();
    const pending = [];
    let i = 0;
    while (i < job.total) {
      const due = start + (i / job.rate) * 1000;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const n = Math.min(job.total - i, Math.max(1, Math.floor(((performance.now() - start) / 1000) * job.rate) - i));
      for (let k = 0; k < n; k++, i++) pending.push(send(job.bodies[i % job.bodies.length]).then((r) => out.push(r)));
    }
    await Promise.all(pending);
    parentPort.postMessage({ out, seconds: (performance.now() - start) / 1000 });
  } else {
    const start = performance.now();
    await Promise.all(job.bodies.map((b) => send(b).then((r) => out.push(r))));
    parentPort.postMessage({ out, seconds: (performance.now() - start) / 1000 });
  }
});
`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function envelope(shopId: string, id: string, body: string): string {
  return JSON.stringify({
    webhook_id: 'wh_bench',
    resource_type: 'shop',
    resource_id: shopId,
    event_time: '2026-11-24T10:00:00.000000',
    event: 'shop.incoming_message',
    event_data: { id, subscriber_id: null, shop_id: shopId, is_opt_out: false, shopify_customer_id: null, from_number: '+15555550100', created_at: '2026-11-24T10:00:00', body },
  });
}

describe('webhook listener benchmark', () => {
  let c: TestCore;
  let worker: Worker;
  afterAll(async () => {
    await worker?.terminate();
    await c?.close();
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
    console.log(`\nMachine: ${machine}\nDate: ${new Date().toISOString()}`);
    console.table(results);
    fs.mkdirSync(path.resolve(__dirname, '../../test-results'), { recursive: true });
    fs.writeFileSync(path.resolve(__dirname, '../../test-results/bench-listener.json'), JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2));
  });

  async function setup(): Promise<{ storeId: string; shopId: string; origin: string; urlPath: string; token: string }> {
    c = await startCore();
    const s = await c.ok('stores', 'create', { name: 'Bench Skip', shopDomain: 'bench-skip', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const st = await c.ok('skip', 'setup', { storeId: s.id });
    await c.ok('skip', 'setSubscription', { storeId: s.id, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 1 });
    const url = new URL(st.callbackUrl!);
    const shop = c.core.ctx.sandbox.state.shopById(s.postscriptShopId!)!;
    const token = shop.signingToken;
    // Postscript sends the registration's custom headers (the per-store secret) on every delivery.
    const hookHeaders = shop.webhooks[0]!.headers;
    worker = new Worker(WORKER, { eval: true, workerData: { undici: require.resolve('undici'), origin: url.origin, path: url.pathname, token, hookHeaders } });
    return { storeId: s.id, shopId: s.postscriptShopId!, origin: url.origin, urlPath: url.pathname, token };
  }

  function run(job: unknown): Promise<{ out: Array<[number, number]>; seconds: number }> {
    return new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(job);
    });
  }

  it(`A: ${RATE}/s signed deliveries for ${SECONDS} s`, { timeout: 600_000 }, async () => {
    const { shopId } = await setup();
    // Ordinary replies (not skips): each is verified, deduplicated and logged like any delivery.
    const total = RATE * SECONDS;
    const bodies = Array.from({ length: total }, (_, i) => envelope(shopId, `im_rate_${i}`, i % 10 === 0 ? 'SKIP' : 'thanks!'));
    await run({ kind: 'burst', bodies: bodies.slice(0, 200).map((b) => b.replace(/im_rate_/, 'im_warm_')) }); // warm up connections
    // Where the tail comes from: the listener's event loop stalls, and garbage-collection pauses.
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const gcPauses: number[] = [];
    const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => gcPauses.push(e.duration)));
    obs.observe({ entryTypes: ['gc'] });
    loop.enable();
    const elu0 = perf.eventLoopUtilization();
    const { out, seconds } = await run({ kind: 'rate', rate: RATE, total, bodies });
    const elu = perf.eventLoopUtilization(elu0);
    loop.disable();
    results['A. listener busy (event-loop utilisation)'] = `${(elu.utilization * 100).toFixed(0)}%`;
    results['A. listener time per delivery ms'] = ((elu.active / total)).toFixed(3);
    obs.disconnect();
    results['A. listener loop delay p99 / max ms'] = `${(loop.percentile(99) / 1e6).toFixed(1)} / ${(loop.max / 1e6).toFixed(1)}`;
    results['A. GC pauses: count / max ms'] = `${gcPauses.length} / ${Math.max(0, ...gcPauses).toFixed(1)}`;
    const lat = out.map(([ms]) => ms);
    const ok = out.filter(([, s]) => s === 200).length;
    results['A. target rate /s'] = RATE;
    results['A. achieved rate /s'] = Math.round(out.length / seconds);
    results['A. deliveries'] = out.length;
    results['A. answered 200'] = ok;
    results['A. p50 ms'] = pct(lat, 50).toFixed(2);
    results['A. p99 ms'] = pct(lat, 99).toFixed(2);
    results['A. max ms'] = Math.max(...lat).toFixed(1);
    expect(ok).toBe(total);
  });

  it('B: 1,000 SKIPs each delivered ten times skip exactly 1,000 times', { timeout: 600_000 }, async () => {
    const storeId = (await c.ok('stores', 'list', {}))[0]!.id;
    const shopId = (await c.ok('stores', 'get', { storeId })).postscriptShopId!;
    await c.ok('skip', 'setSubscription', { storeId, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 1 });
    const before = (await c.ok('skip', 'status', { storeId })).subscription!.skippedCount;
    const bodies: string[] = [];
    for (let i = 0; i < 1000; i++) for (let r = 0; r < 10; r++) bodies.push(envelope(shopId, `im_replay_${i}`, 'Skip!'));
    for (let i = bodies.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [bodies[i], bodies[j]] = [bodies[j]!, bodies[i]!];
    }
    const { out, seconds } = await run({ kind: 'burst', bodies });
    const after = (await c.ok('skip', 'status', { storeId })).subscription!;
    results['B. deliveries (1,000 × 10, shuffled)'] = out.length;
    results['B. seconds'] = seconds.toFixed(2);
    results['B. skips recorded'] = after.skippedCount - before;
    results['B. next billing date moved by (days)'] = Math.round((Date.parse(after.nextBillingDate) - Date.parse('2030-01-15')) / 86_400_000);
    expect(out.every(([, s]) => s === 200)).toBe(true);
    expect(after.skippedCount - before).toBe(1000);
  });
});
