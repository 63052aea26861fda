/**
 * The newcomer's walk of the go-live report (issue 17, follow-up): a check that was never made, or
 * that only repeats the agent's own answer, is not a PASS; the report speaks the merchant's words.
 * Read from the PDF's text as the merchant reads it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coresPerTest, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function coreWithExports(): Promise<TestCore> {
  const tmp = makeTempDir('psc-exports-');
  cleanups.push(tmp.cleanup);
  return core({ more: { exportsDir: path.join(tmp.dir, 'reports') } });
}

/** The report's text, flattened: the PDF's when pdftotext is there, else the HTML page's. */
async function reportText(c: TestCore, storeId: string): Promise<string> {
  const files = await c.ok('readiness', 'report', { storeId });
  let text: string;
  try {
    text = execFileSync('pdftotext', ['-layout', files.pdfPath, '-'], { encoding: 'utf8' });
  } catch {
    if (process.env.PSC_REQUIRE_E2E === '1') throw new Error('pdftotext is missing: apt-get install poppler-utils.');
    text = fs.readFileSync(files.htmlPath, 'utf8').replace(/<style>[\s\S]*?<\/style>|<title>[\s\S]*?<\/title>/g, '').replace(/<[^>]+>/g, ' ');
  }
  return text.replace(/&#39;|’/g, "'").replace(/\s+/g, ' ');
}

/** A Sandbox store with its key, Test Event User and one event sent, but no SKIP set-up (so no webhook registration). */
async function sandboxStoreNoSkip(c: TestCore, testPhone = '+15555550100'): Promise<string> {
  const s = await c.ok('stores', 'create', { name: 'Bean Co', shopDomain: 'bean-co', account: 'sandbox', keyword: 'JOIN', testPhone, credential: { kind: 'sandbox_new_key' } });
  await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'billing_reminder', enabled: true });
  expect((await c.sendTest(s.id, 'billing_reminder')).item.state).toBe('delivered');
  return s.id;
}

describe('checks that were never made are not passes', () => {
  it('a Sandbox store without registrations: the webhook check does not apply; SkioSMS is the agent’s answer; neither counts as passed', async () => {
    const c = await coreWithExports();
    const id = await sandboxStoreNoSkip(c);
    const r = await c.ok('readiness', 'get', { storeId: id });
    const by = Object.fromEntries(r.checks.map((x) => [x.id, x]));
    expect(by.webhooks).toMatchObject({ status: 'na', action: null });
    expect(by.skiosms).toMatchObject({ status: 'noted', at: null, evidence: expect.stringMatching(/no one has answered it yet/) });
    const passed = r.checks.filter((x) => x.status === 'pass').length;

    const text = await reportText(c, id);
    expect(text).not.toMatch(/PASS\s+Live webhook registration/);
    expect(text).not.toMatch(/PASS\s+No double texts with SkioSMS/);
    expect(text).toMatch(/NOT APPLICABLE\s+Live webhook registration/);
    expect(text).toMatch(/AGENT'S ANSWER\s+No double texts with SkioSMS .*the onboarding agent's answer in the app/);
    expect(text).toMatch(new RegExp(`Checks:? ${passed} passed,`));
  });

  it('with no event turned on, the SkioSMS check does not apply', async () => {
    const c = await coreWithExports();
    const s = await c.ok('stores', 'create', { name: 'No Events', shopDomain: 'no-events', account: 'sandbox', keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const r = await c.ok('readiness', 'get', { storeId: s.id });
    expect(r.checks.find((x) => x.id === 'skiosms')).toMatchObject({ status: 'na' });
  });
});

describe('the report’s health line says what is known when it is made', () => {
  it('a green recorded by an earlier Re-check does not outlive a Test Event User set afterwards who is not opted in', async () => {
    const c = await coreWithExports();
    const s = await c.ok('stores', 'create', { name: 'Late User', shopDomain: 'late-user', account: 'sandbox', keyword: 'JOIN', credential: { kind: 'sandbox_new_key' } });
    await c.ok('readiness', 'recheck', { storeId: s.id });
    expect(c.core.ctx.storeHealth.latest(s.id)?.status).toBe('green');
    await c.ok('stores', 'setTestUser', { storeId: s.id, phone: '+15555550101' });
    const r = await c.ok('readiness', 'get', { storeId: s.id });
    expect(r.checks.find((x) => x.id === 'test_user')!.status).not.toBe('pass');
    const text = await reportText(c, s.id);
    expect(text).not.toMatch(/Health( watch)?:? green/);
    expect(text).toMatch(/Health:? red, from what Postscript last said/);
  });
});

describe('a Sandbox store names the Sandbox, not Postscript, as what answered', () => {
  it('panel and report say the Sandbox accepted the key and the event', async () => {
    const c = await coreWithExports();
    const id = await sandboxStoreNoSkip(c);
    await c.ok('readiness', 'recheck', { storeId: id });
    const r = await c.ok('readiness', 'get', { storeId: id });
    const by = Object.fromEntries(r.checks.map((x) => [x.id, x]));
    expect(by.key!.evidence).toMatch(/^The Sandbox accepted the key ending \w{4}/);
    expect(by['event:billing_reminder']!.evidence).toMatch(/accepted by the Sandbox .* with HTTP 202/);
    for (const x of r.checks) expect(x.evidence).not.toMatch(/Postscript (accepted|answered|refused)|accepted by Postscript/);
    const text = await reportText(c, id);
    expect(text).not.toMatch(/Postscript (accepted|answered|refused)|accepted by Postscript/);
    expect(text).toMatch(/The Sandbox accepted the key/);
  });
});

describe('the merchant’s report names sources in their terms and shows no internal ids', () => {
  it('no subscriber id, external_id, event_ids or “asked by”; the agent’s panel keeps the detail', async () => {
    const c = await coreWithExports();
    const id = await sandboxStoreNoSkip(c);
    await c.ok('readiness', 'recheck', { storeId: id });
    const panel = await c.ok('readiness', 'get', { storeId: id });
    expect(panel.checks.find((x) => x.id === 'test_user')!.evidence).toMatch(/subscriber s_\w+ with .*asked by Re-check with Postscript/);
    const text = await reportText(c, id);
    expect(text).not.toMatch(/\bs_[0-9a-z]{6,}\b|external_id|event_ids|psc-test-|asked by/);
    expect(text).toMatch(/Checked by the onboarding agent with the Sandbox on \d{4}-\d{2}-\d{2}/);
    expect(text).toMatch(/Skio_BillingReminderNotification/);
  });

  it('the panel says an attempt was rate-limited (429), not the log’s raw name', async () => {
    const c = await coreWithExports();
    const id = await sandboxStoreNoSkip(c);
    await c.ok('sandbox', 'setFaults', { rate429: 1 });
    await c.sendTest(id, 'billing_reminder');
    const r = await c.ok('readiness', 'get', { storeId: id });
    const event = r.checks.find((x) => x.id === 'event:billing_reminder')!;
    expect(event.evidence).not.toContain('rate_limited');
    expect(event.evidence).toMatch(/was rate-limited \(429\)/);
  });
});

describe('screens agree after a batch whose newest attempt was rate-limited', () => {
  it('the batch report’s headline and counts say the same; the setup card does not tick an event the panel warns about', async () => {
    const c = await coreWithExports();
    const warned = await sandboxStoreNoSkip(c);
    await c.ok('stores', 'setStep', { storeId: warned, step: 'done' });
    const other = await c.ok('stores', 'create', { name: 'Beta Tea', shopDomain: 'beta-tea', account: 'sandbox', keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: other.id, eventKey: 'subscription_created', enabled: true });
    await c.ok('sandbox', 'setFaults', { rate429: 1 });
    await c.sendTest(warned, 'billing_reminder');
    const event = (await c.ok('readiness', 'get', { storeId: warned })).checks.find((x) => x.id === 'event:billing_reminder')!;
    expect(event.status).toBe('warn');
    const detail = await c.ok('stores', 'get', { storeId: warned });
    expect(detail.goLive?.eventsPassed).toBe(0);

    await c.ok('sandbox', 'setFaults', { rate429: 0 });
    const { batch } = await c.ok('batches', 'create', { name: 'Wave', stores: { kind: 'all' }, events: { kind: 'enabled' } });
    await expect.poll(async () => (await c.ok('batches', 'get', { batchId: batch.id })).status, { timeout: 10_000 }).toBe('done');
    const files = await c.ok('readiness', 'batchReport', { batchId: batch.id });
    const html = fs.readFileSync(files.htmlPath, 'utf8').replace(/<[^>]+>/g, ' ').replace(/&#39;|’/g, "'").replace(/\s+/g, ' ');
    const counts = /Ready:? (\d+ of 2 stores ready \([^)]*\); \d+ not ready; \d+ not verified yet)/.exec(html);
    expect(counts).not.toBeNull();
    // The headline says exactly what the counts say.
    expect(html).toMatch(new RegExp(`(FAIL|WARN|PASS|NOT CHECKED): ${counts![1]!.replace(/[()]/g, '\\$&')}\\.`));
  });
});

describe('a report of a store with nothing sent', () => {
  it('says “No attempts yet” instead of an empty chart', async () => {
    const c = await coreWithExports();
    const s = await c.ok('stores', 'create', { name: 'Quiet Shop', shopDomain: 'quiet-shop', account: 'sandbox', keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const files = await c.ok('readiness', 'report', { storeId: s.id });
    expect(fs.readFileSync(files.htmlPath, 'utf8')).not.toContain('<svg');
    const text = await reportText(c, s.id);
    expect(text).toMatch(/No attempts yet/);
    expect(text).not.toMatch(/0 attempts in all for 0 events/);
  });
});

describe('check titles name the check, not its result', () => {
  it('a store with no SKIP yet: “FAIL SKIP round trip”, never “FAIL SKIP round trip passed”', async () => {
    const c = await coreWithExports();
    const id = await sandboxStoreNoSkip(c);
    expect((await c.ok('readiness', 'get', { storeId: id })).checks.find((x) => x.id === 'skip')).toMatchObject({ status: 'fail', title: 'SKIP round trip' });
    const text = await reportText(c, id);
    expect(text).toMatch(/FAIL\s+SKIP round trip/);
    expect(text).not.toMatch(/SKIP round trip passed/);
  });
});
