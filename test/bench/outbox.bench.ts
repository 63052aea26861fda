/**
 * `npm run bench`: outbox throughput and pacing against the in-process Sandbox. Prints a table and
 * writes test-results/bench-outbox.json; the figures go into docs/benchmarks.md by hand, with the
 * machine and date. Asserts only correctness (everything delivered), never timings.
 *
 *  A. 100 stores × 11 events through the outbox (tokens in parallel)
 *  B. 1,100 sends through one token through the outbox (must hold 15 requests/second)
 *  C, D. the same sends with a naive sequential loop (no pacing, no retries)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PostscriptClient } from '../../src-main/postscript/client';
import { SKIO_EVENTS } from '../../src-shared/events/catalog';
import { startCore, type TestCore } from '../helpers/core';
import { maxInWindow } from '../helpers/windows';
import { rssSampler } from './rssSampler';

const STORES = Number(process.env.BENCH_STORES ?? 100);
const ONE_TOKEN_SENDS = Number(process.env.BENCH_ONE_TOKEN ?? 1100);
/** Each scenario runs with the Sandbox answering at once, and with added latency like a real API's. */
const LATENCIES = (process.env.BENCH_LATENCIES ?? '0,50').split(',').map(Number);

interface Result {
  scenario: string;
  sends: number;
  seconds: number;
  idealSeconds: number;
  ratio: number | null;
  requestsPerSecond: number;
  server429: number;
  maxPerSecondOneToken: number;
  peakRssMb: number;
}


/** The fastest any client may go under 15/s per token: n sends need ceil(n/15) - 1 whole windows. */
function idealSeconds(perToken: number[]): number {
  return Math.max(...perToken.map((n) => Math.max(0, Math.ceil(n / 15) - 1)));
}


async function makeStores(c: TestCore, n: number, events: readonly string[]): Promise<Array<{ id: string; shopId: string }>> {
  const out: Array<{ id: string; shopId: string }> = [];
  for (let i = 0; i < n; i++) {
    const s = await c.ok('stores', 'create', { name: `Bench ${i}`, shopDomain: `bench-store-${i}`, account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    for (const e of events) await c.ok('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
    out.push({ id: s.id, shopId: s.postscriptShopId! });
  }
  await new Promise((r) => setTimeout(r, 1100)); // key checks hold pacing slots for a window
  return out;
}

async function waitIdle(c: TestCore): Promise<void> {
  for (;;) {
    const st = await c.ok('outbox', 'status', {});
    if (st.waiting === 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const results: Result[] = [];

describe('outbox benchmark', () => {
  for (const latency of LATENCIES) {
    it(`A: ${STORES} stores × 11 events through the outbox, +${latency} ms`, { timeout: 600_000 }, async () => {
      const c = await startCore();
      try {
        const stores = await makeStores(c, STORES, SKIO_EVENTS.map((e) => e.key));
        const sandbox = c.core.ctx.sandbox;
        sandbox.setFaults({ delayMs: latency });
        const before = sandbox.stats.rateLimited + sandbox.stats.injected429;
        const rss = rssSampler();
        const t0 = performance.now();
        const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
        await waitIdle(c);
        const seconds = (performance.now() - t0) / 1000;
        const peak = rss.stop();
        const final = await c.ok('batches', 'get', { batchId: batch.id });
        expect(final.counts.delivered).toBe(STORES * 11);
        const perShop = stores.map((s) => sandbox.state.data.events.filter((e) => e.shopId === s.shopId).map((e) => Date.parse(e.receivedAt)));
        const ideal = idealSeconds(perShop.map((p) => p.length));
        results.push({
          scenario: `A. outbox, ${STORES} tokens × 11, +${latency} ms`,
          sends: STORES * 11,
          seconds,
          idealSeconds: ideal,
          ratio: ideal > 0 ? seconds / ideal : null,
          requestsPerSecond: (STORES * 11) / seconds,
          server429: sandbox.stats.rateLimited + sandbox.stats.injected429 - before,
          maxPerSecondOneToken: Math.max(...perShop.map((p) => maxInWindow(p, 1000))),
          peakRssMb: peak,
        });
      } finally {
        await c.close();
      }
    });

    it(`B: ${ONE_TOKEN_SENDS} sends through one token through the outbox, +${latency} ms`, { timeout: 600_000 }, async () => {
      const c = await startCore();
      try {
        const [store] = await makeStores(c, 1, ['subscription_renewed']);
        const sandbox = c.core.ctx.sandbox;
        sandbox.setFaults({ delayMs: latency });
        const rss = rssSampler();
        const t0 = performance.now();
        for (let i = 0; i < ONE_TOKEN_SENDS; i++) await c.ok('tests', 'send', { storeId: store!.id, eventKey: 'subscription_renewed' });
        await waitIdle(c);
        const seconds = (performance.now() - t0) / 1000;
        const peak = rss.stop();
        const stamps = sandbox.state.data.events.filter((e) => e.shopId === store!.shopId).map((e) => Date.parse(e.receivedAt));
        expect(stamps).toHaveLength(ONE_TOKEN_SENDS);
        const ideal = idealSeconds([ONE_TOKEN_SENDS]);
        results.push({
          scenario: `B. outbox, 1 token, +${latency} ms`,
          sends: ONE_TOKEN_SENDS,
          seconds,
          idealSeconds: ideal,
          ratio: seconds / ideal,
          requestsPerSecond: ONE_TOKEN_SENDS / seconds,
          server429: sandbox.stats.rateLimited,
          maxPerSecondOneToken: maxInWindow(stamps, 1000),
          peakRssMb: peak,
        });
      } finally {
        await c.close();
      }
    });

    it(`C, D: the same sends with a naive sequential loop, +${latency} ms`, { timeout: 600_000 }, async () => {
      const c = await startCore();
      try {
        const sandbox = c.core.ctx.sandbox;
        sandbox.setFaults({ delayMs: latency });
        const url = sandbox.url!;
        const keys: string[] = [];
        for (let i = 0; i < STORES; i++) keys.push(sandbox.state.createShop(`Naive ${i}`).privateKey);
        const body = (i: number) => ({ type: 'Skio_SubscriptionRenewed', phone: '+15555550100', properties: { i }, external_id: `naive-${i}-${Math.random()}` });
        for (const [label, plan] of [
          [`C. naive loop, ${STORES} tokens × 11, +${latency} ms`, keys.flatMap((k) => Array.from({ length: 11 }, () => k))],
          [`D. naive loop, 1 token, +${latency} ms`, Array.from({ length: ONE_TOKEN_SENDS }, () => keys[0]!)],
        ] as const) {
          sandbox.resetRateLimits();
          const before = sandbox.stats.rateLimited;
          const clients = new Map(keys.map((k) => [k, new PostscriptClient({ baseUrl: url, auth: { kind: 'shop', apiKey: k } })]));
          const rss = rssSampler();
          const t0 = performance.now();
          let ok = 0;
          for (const [i, key] of plan.entries()) {
            const ex = await clients.get(key)!.exchange('POST', '/api/v2/events', body(i));
            if (ex.response?.status === 202) ok += 1;
          }
          const seconds = (performance.now() - t0) / 1000;
          results.push({
            scenario: `${label} (${ok} accepted)`,
            sends: plan.length,
            seconds,
            idealSeconds: 0,
            ratio: null,
            requestsPerSecond: plan.length / seconds,
            server429: sandbox.stats.rateLimited - before,
            maxPerSecondOneToken: NaN,
            peakRssMb: rss.stop(),
          });
        }
      } finally {
        await c.close();
      }
    });
  }

  afterAll(() => {
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
    const table = results.map((r) => ({
      scenario: r.scenario,
      sends: r.sends,
      seconds: r.seconds.toFixed(2),
      ideal: r.idealSeconds.toFixed(1),
      'vs ideal': r.ratio === null ? '—' : `${r.ratio.toFixed(3)}×`,
      'req/s': r.requestsPerSecond.toFixed(1),
      '429s': r.server429,
      'max in 1 s (1 token)': Number.isNaN(r.maxPerSecondOneToken) ? '—' : r.maxPerSecondOneToken,
      'peak RSS MB': r.peakRssMb,
    }));
    console.log(`\nMachine: ${machine}\nDate: ${new Date().toISOString()}`);
    console.table(table);
    fs.mkdirSync(path.resolve(__dirname, '../../test-results'), { recursive: true });
    fs.writeFileSync(path.resolve(__dirname, '../../test-results/bench-outbox.json'), JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2));
  });
});
