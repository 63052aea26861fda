/** The delivery log an agent works from: filters, search, paging, detail, resend, export, retention. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import type { LogRow } from '../../src-shared/ipc/contract';
import { startCore, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

async function setup(): Promise<{ c: TestCore; a: string; b: string; exports: string }> {
  const exportsDir = makeTempDir('psc-exports-');
  open.push({ close: async () => exportsDir.cleanup() });
  const c = await startCore();
  (c.core.ctx as { exportsDir: string }).exportsDir = exportsDir.dir;
  open.push(c);
  const a = (await c.ok('stores', 'create', { name: 'Alpha', shopDomain: 'alpha-shop', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } })).id;
  const b = (await c.ok('stores', 'create', { name: 'Beta', shopDomain: 'beta-shop', account: 'sandbox', testPhone: '+15555550199', credential: { kind: 'sandbox_new_key' } })).id;
  for (const s of [a, b]) for (const e of ['subscription_renewed', 'card_expiration']) await c.ok('triggers', 'set', { storeId: s, eventKey: e, enabled: true });
  // Alpha: 2 delivered, Beta: 2 failed (no such subscriber: 404).
  for (const s of [a, b]) for (const e of ['subscription_renewed', 'card_expiration']) await c.sendTest(s, e);
  return { c, a, b, exports: exportsDir.dir };
}

async function all(c: TestCore, filter: Record<string, unknown>, limit = 2): Promise<LogRow[]> {
  const out: LogRow[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await c.ok('deliveries', 'list', { filter, limit, ...(before === undefined ? {} : { beforeId: before }) });
    out.push(...page.rows);
    if (page.nextBeforeId === null) return out;
    before = page.nextBeforeId;
  }
}

describe('filters and search', () => {
  it('filters by store, event, outcome and status, paging by key without gaps', async () => {
    const { c, a, b } = await setup();
    expect((await all(c, {})).map((r) => r.id)).toEqual([4, 3, 2, 1]);
    expect((await all(c, { storeId: a })).map((r) => r.storeName)).toEqual(['Alpha', 'Alpha']);
    expect((await all(c, { storeId: b, eventKey: 'card_expiration' })).map((r) => r.outcome)).toEqual(['failed']);
    expect((await all(c, { outcome: 'delivered' })).every((r) => r.storeId === a)).toBe(true);
    expect(await all(c, { status: 404 })).toHaveLength(2);
    expect(await all(c, { from: '2000-01-01T00:00:00.000Z', to: '2000-01-02T00:00:00.000Z' })).toHaveLength(0);
  });

  it('finds attempts by the start of an external_id, a phone in any format, or words of an error', async () => {
    const { c, a, b } = await setup();
    const rows = await all(c, {});
    const ext = rows[2]!.externalId;
    expect((await all(c, { q: ext.slice(0, 20) })).map((r) => r.id)).toEqual([rows[2]!.id]);
    expect((await all(c, { q: ext })).map((r) => r.id)).toEqual([rows[2]!.id]);
    expect((await all(c, { q: '(555) 555-0199' })).map((r) => r.storeName)).toEqual(['Beta', 'Beta']);
    expect((await all(c, { q: '+1 555 555 0100' })).map((r) => r.storeName)).toEqual(['Alpha', 'Alpha']);
    expect(await all(c, { q: 'could not find subscriber' })).toHaveLength(2);
    expect(await all(c, { q: 'could not find subscriber', storeId: b })).toHaveLength(2);
    expect(await all(c, { q: 'could not find subscriber', storeId: a })).toHaveLength(0);
    expect(await c.call('deliveries', 'list', { filter: { q: 'ab' } })).toMatchObject({ ok: false, error: { field: 'filter.q' } });
  });
});

describe('one attempt', () => {
  it('shows request and response with a curl command, and the key only masked', async () => {
    const { c } = await setup();
    const [row] = await all(c, { outcome: 'delivered' });
    const d = await c.ok('deliveries', 'get', { id: row!.id });
    expect(d.curl).toMatch(/^curl -X POST 'http:\/\/127\.0\.0\.1:\d+\/api\/v2\/events'/);
    expect(d.curl).toContain(`-H 'authorization: Bearer sk_…${DEMO_PRIVATE_KEY.slice(-4)}'`);
    expect(d.curl).toContain(`"external_id":"${d.externalId}"`);
    expect(JSON.stringify(d)).not.toContain(DEMO_PRIVATE_KEY);
    expect(d.phone).toBe('+15555550100');
  });
});

describe('resend', () => {
  it('resends one row, or every row a filter shows, through the outbox as new events', async () => {
    const { c, a } = await setup();
    // The count the agent is asked about first queues nothing, and is what the real resend then queues.
    const waitingBefore = (await c.ok('outbox', 'status', {})).waiting;
    const ask = await c.ok('deliveries', 'resend', { filter: { outcome: 'failed' }, dryRun: true });
    expect((await c.ok('outbox', 'status', {})).waiting).toBe(waitingBefore);
    expect(ask).toEqual({ queued: 2, skipped: 0, note: null });
    const [row] = await all(c, { storeId: a, eventKey: 'card_expiration' });
    const one = await c.ok('deliveries', 'resend', { ids: [row!.id] });
    expect(one).toEqual({ queued: 1, skipped: 0, note: null });
    const many = await c.ok('deliveries', 'resend', { filter: { outcome: 'failed' } });
    expect(many.queued).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    for (;;) {
      if ((await c.ok('outbox', 'status', {})).waiting === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const after = await all(c, {});
    expect(after).toHaveLength(7);
    const newest = after.find((r) => r.storeId === a && r.eventKey === 'card_expiration' && r.id !== row!.id)!;
    expect(newest.externalId).not.toBe(row!.externalId);
  });
});

describe('export', () => {
  async function finished(c: TestCore, jobId: string): Promise<void> {
    for (;;) {
      const ev = c.sentToRenderer.map((x) => JSON.parse(x) as { event?: string; payload?: { jobId?: string; finished?: boolean; error?: string } }).find((x) => x.event === 'progress' && x.payload?.jobId === jobId && x.payload.finished === true);
      if (ev !== undefined) {
        expect(ev.payload?.error).toBeUndefined();
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('writes the filtered rows as CSV and as JSON, masked, with progress', async () => {
    const { c, b } = await setup();
    const csvJob = await c.ok('deliveries', 'export', { filter: { storeId: b }, format: 'csv' });
    await finished(c, csvJob.jobId);
    const csv = fs.readFileSync(csvJob.path, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('id,started_at,store,store_id,event,external_id,phone,attempt,outcome,response_status,error_code,error_message,latency_ms,batch_id,request_method,request_url,request_headers,request_body,response_body');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toContain(',Beta,');
    expect(csv[1]).toContain(',failed,404,3001,Postscript answered 404: Could not find subscriber matching that information,');

    const jsonJob = await c.ok('deliveries', 'export', { filter: {}, format: 'json' });
    await finished(c, jsonJob.jobId);
    expect(path.basename(jsonJob.path)).toMatch(/^postscript-deliveries-\d{8}-\d{6}\.json$/);
    const rows = JSON.parse(fs.readFileSync(jsonJob.path, 'utf8')) as Array<{ id: number; requestHeaders: Record<string, string> }>;
    expect(rows.map((r) => r.id)).toEqual([4, 3, 2, 1]);
    expect(rows[3]!.requestHeaders.authorization).toBe(`Bearer sk_…${DEMO_PRIVATE_KEY.slice(-4)}`);
    for (const f of [csvJob.path, jsonJob.path]) expect(fs.readFileSync(f, 'utf8')).not.toContain(DEMO_PRIVATE_KEY);
  });
});

describe('overview and retention', () => {
  it('keeps last success and last failure per store and event, and counts attempts per hour', async () => {
    const { c, a, b } = await setup();
    const o = await c.ok('deliveries', 'overview', { hours: 2 });
    const alpha = o.summary.find((s) => s.storeId === a && s.eventKey === 'subscription_renewed')!;
    expect(alpha.lastSuccessAt).not.toBeNull();
    expect(alpha.lastFailureAt).toBeNull();
    const beta = o.summary.find((s) => s.storeId === b && s.eventKey === 'card_expiration')!;
    expect(beta).toMatchObject({ lastSuccessAt: null, lastFailureMessage: 'Postscript answered 404: Could not find subscriber matching that information' });
    expect(o.histogram.hours).toHaveLength(2);
    const total = (outcome: string): number => o.histogram.series.find((s) => s.outcome === outcome)!.counts.reduce((x, y) => x + y, 0);
    expect(total('delivered')).toBe(2);
    expect(total('failed')).toBe(2);
  });

  it('prunes attempts older than the retention setting, keeps the summary, and reports size', async () => {
    const { c } = await setup();
    c.core.db.prepare(`UPDATE deliveries SET started_at = '2020-01-01T00:00:00.000Z' WHERE id <= 2`).run();
    const stats = await c.ok('deliveries', 'setRetention', { days: 30 });
    expect(stats.retentionDays).toBe(30);
    expect(stats.dbBytes).toBeGreaterThan(0);
    expect((await all(c, {})).map((r) => r.id)).toEqual([4, 3]);
    expect(await all(c, { q: 'psc-test' })).toHaveLength(2); // the search index forgot them too
    expect((await c.ok('deliveries', 'overview', {})).summary).toHaveLength(4);
    expect(await c.call('deliveries', 'setRetention', { days: 0 })).toMatchObject({ ok: false });
  });
});
