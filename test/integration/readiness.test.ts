/** Go-live proof: readiness checks, the report (HTML and PDF) and what goes wrong while making it. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { coresPerTest, type TestCore } from '../helpers/core';
import { completedStore } from '../helpers/golive';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();
const cleanups: Array<() => void> = [];
afterEach(() => {
  vi.restoreAllMocks();
  cleanups.splice(0).forEach((c) => c());
});

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function coreWithExports(): Promise<{ c: TestCore; exportsDir: string }> {
  const tmp = makeTempDir('psc-exports-');
  cleanups.push(tmp.cleanup);
  const exportsDir = path.join(tmp.dir, 'reports');
  return { c: await core({ more: { exportsDir } }), exportsDir };
}

describe('readiness checks', () => {
  it('passes every check of a completed store, each with its evidence and time', async () => {
    const { c } = await coreWithExports();
    const id = await completedStore(c);
    const r = await c.ok('readiness', 'get', { storeId: id });
    expect(r.overall).toBe('pass');
    expect(r.checks.map((x) => x.id)).toEqual(['key', 'test_user', 'event:billing_reminder', 'event:next_billing_date_updated', 'keyword', 'skip', 'skip_word', 'skiosms', 'webhooks']);
    // SkioSMS is the agent's own answer, not something checked: said as such, never as a pass.
    expect(r.checks.every((x) => x.status === (x.id === 'skiosms' ? 'noted' : 'pass') && x.action === null)).toBe(true);
    const event = r.checks.find((x) => x.id === 'event:billing_reminder')!;
    expect(event.evidence).toMatch(/Skio_BillingReminderNotification accepted by the Sandbox .* with HTTP 202/);
    expect(event.details.map((d) => d.label)).toEqual(['Payload sent', 'The Sandbox’s answer']);
    expect(event.details[1]!.text).toContain('event_ids');
    expect(r.checks.find((x) => x.id === 'skip')!.evidence).toMatch(/simulated through the Sandbox .*from 2030-01-15 to 2030-02-14/);
    expect(r.keyHint).toMatch(/^key ending [a-z0-9]{4}$/);
  });

  it('says what to do for each warning and failure', async () => {
    const { c } = await coreWithExports();
    const s = await c.ok('stores', 'create', { name: 'Half Done', shopDomain: 'half-done', account: 'sandbox', keyword: 'JOIN', testPhone: '+15555550101', credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'billing_reminder', enabled: true, skioSmsAlso: true });
    await c.ok('skip', 'setSkipWord', { storeId: s.id, word: 'JOIN' });
    const r = await c.ok('readiness', 'get', { storeId: s.id });
    const by = Object.fromEntries(r.checks.map((x) => [x.id, x]));
    expect(r.overall).toBe('fail');
    expect(by.test_user).toMatchObject({ status: 'warn', action: expect.stringMatching(/opted in to transactional/) });
    // Never sent: Postscript has said nothing about it yet, which is not a pass and not a fail.
    expect(by['event:billing_reminder']).toMatchObject({ status: 'unchecked', evidence: 'Skio_BillingReminderNotification has never been sent.', at: null, action: expect.stringMatching(/Send a test/) });
    expect(by.skip).toMatchObject({ status: 'fail', action: expect.stringMatching(/Simulate SKIP/) });
    expect(by.skip_word).toMatchObject({ status: 'fail', action: expect.stringMatching(/another SKIP word/) });
    expect(by.skiosms).toMatchObject({ status: 'warn', evidence: expect.stringContaining('Billing Reminder') });
  });

  it('an event delivered once whose newest attempt failed is not a pass, and says what to do; a new delivery makes it one again', async () => {
    // Guards against an event check that looks only for a delivery ever made (or compares the
    // attempts' times the wrong way): the merchant's key or shop could be refusing sends now.
    const { c } = await coreWithExports();
    const id = await completedStore(c);
    expect((await c.ok('readiness', 'get', { storeId: id })).overall).toBe('pass');
    await c.ok('sandbox', 'setFaults', { rate5xx: 1 });
    expect((await c.sendTest(id, 'billing_reminder')).item.state).toBe('failed');
    const after = await c.ok('readiness', 'get', { storeId: id });
    const event = after.checks.find((x) => x.id === 'event:billing_reminder')!;
    expect(event.status).not.toBe('pass');
    expect(event.action).not.toBeNull();
    expect(event.evidence).toMatch(/later attempt|newest attempt|last attempt/i);
    expect(after.overall).not.toBe('pass');
    // The other event's proof is untouched.
    expect(after.checks.find((x) => x.id === 'event:next_billing_date_updated')!.status).toBe('pass');

    await c.ok('sandbox', 'setFaults', { rate5xx: 0 });
    expect((await c.sendTest(id, 'billing_reminder')).item.state).toBe('delivered');
    const again = await c.ok('readiness', 'get', { storeId: id });
    expect(again.checks.find((x) => x.id === 'event:billing_reminder')!.status).toBe('pass');
    expect(again.overall).toBe('pass');
  });

  it('a key last checked just under 7 days ago passes; just over, it warns and asks for a re-check', async () => {
    // Guards against moving the stale-key limit (days or milliseconds) or dropping it.
    const { c } = await coreWithExports();
    const id = await completedStore(c);
    const checkedBy = Date.now(); // the key was checked while the store was made, before this
    const DAY = 86_400_000;
    const keyAt = async (ms: number) => {
      const spy = vi.spyOn(Date, 'now').mockReturnValue(ms);
      try {
        return (await c.ok('readiness', 'get', { storeId: id })).checks.find((x) => x.id === 'key')!;
      } finally {
        spy.mockRestore();
      }
    };
    expect(await keyAt(checkedBy + 7 * DAY - 60_000)).toMatchObject({ status: 'pass', action: null });
    const stale = await keyAt(checkedBy + 7 * DAY + 60_000);
    expect(stale.status).toBe('warn');
    expect(stale.action).toMatch(/Re-check with Postscript/);
  });

  it('re-checks with Postscript: a keyword deleted there fails the keyword check', async () => {
    const { c } = await coreWithExports();
    const id = await completedStore(c);
    const shop = c.core.ctx.sandbox.state.shopById(c.core.ctx.repo.getStore(id)!.postscriptShopId!)!;
    shop.keywords = shop.keywords.filter((k) => k.keyword !== 'JOIN');
    const r = await c.ok('readiness', 'recheck', { storeId: id });
    expect(r.checks.find((x) => x.id === 'keyword')).toMatchObject({ status: 'fail', evidence: expect.stringMatching(/JOIN is not one of the shop’s Postscript keywords \(it has: COFFEECLUB\)\. The Sandbox answered .* \(asked by Re-check with Postscript\)/) });
    expect(r.health).toMatchObject({ status: 'amber', problems: ['The keyword JOIN is not one of the shop’s Postscript keywords.'] });
  });
});

describe('readiness report', () => {
  it('writes a self-contained HTML file and its PDF, 0600, with every check and no key', async () => {
    const { c, exportsDir } = await coreWithExports();
    const id = await completedStore(c);
    const files = await c.ok('readiness', 'report', { storeId: id });
    expect(path.dirname(files.htmlPath)).toBe(exportsDir);
    for (const f of [files.htmlPath, files.pdfPath]) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    const html = fs.readFileSync(files.htmlPath, 'utf8');
    const checks = (await c.ok('readiness', 'get', { storeId: id })).checks;
    for (const check of checks) {
      expect(html).toContain(`data-check="${check.id}" data-status="${check.status}"`);
      expect(html).toContain(check.title);
    }
    expect(html).toMatch(/Skio_BillingReminderNotification accepted by the Sandbox/);
    expect(html).toContain('<svg');
    expect(html).not.toContain('sk_');
    // Nothing to run and nothing to fetch.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|url\(/i);
    expect(fs.readFileSync(files.pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    if (!hasPdftotext() && process.env.PSC_REQUIRE_E2E === '1') throw new Error('pdftotext is missing: apt-get install poppler-utils.');
    if (hasPdftotext()) {
      const text = execFileSync('pdftotext', ['-layout', files.pdfPath, '-'], { encoding: 'utf8' });
      expect(text).toContain('Go-live readiness: Acme Coffee');
      for (const check of checks) expect(text.replace(/\s+/g, ' ')).toContain(check.title.replace(/’/g, "'"));
      expect(text).not.toContain('sk_');
    }
  });

  it('keeps no report of a store deleted while its report was being made', async () => {
    const { c, exportsDir } = await coreWithExports();
    const id = await completedStore(c);
    const pending = c.call('readiness', 'report', { storeId: id });
    // The checks were read when the call started; the store goes before the files are written.
    c.core.ctx.repo.removeStore(id);
    const r = await pending;
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringMatching(/deleted while its report was being made/) } });
    expect(fs.existsSync(exportsDir) ? fs.readdirSync(exportsDir) : []).toEqual([]);
  });

  it('says the disk is full, leaves no half-written file, and works once there is space', async () => {
    const { c, exportsDir } = await coreWithExports();
    const id = await completedStore(c);
    const real = fs.promises.writeFile;
    let calls = 0;
    vi.spyOn(fs.promises, 'writeFile').mockImplementation(async (file, data, options) => {
      calls += 1;
      // The PDF's write fails after writing part of it, as a full disk does.
      if (calls === 2) {
        await real(file, String(data).slice(0, 10), options);
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return real(file, data, options);
    });
    const r = await c.call('readiness', 'report', { storeId: id });
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^The disk is full, so the report was not written/) } });
    expect(fs.readdirSync(exportsDir)).toEqual([]);
    vi.restoreAllMocks();
    const files = await c.ok('readiness', 'report', { storeId: id });
    expect(fs.readdirSync(exportsDir).sort()).toEqual([path.basename(files.htmlPath), path.basename(files.pdfPath)].sort());
  });

  it('reports a batch: one line per store and totals', async () => {
    const { c } = await coreWithExports();
    await completedStore(c, 'Acme Coffee', 'acme-coffee');
    const other = await c.ok('stores', 'create', { name: 'Beta Tea', shopDomain: 'beta-tea', account: 'sandbox', keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: other.id, eventKey: 'subscription_created', enabled: true });
    const { batch } = await c.ok('batches', 'create', { name: 'November wave', stores: { kind: 'all' }, events: { kind: 'enabled' } });
    await expect.poll(async () => (await c.ok('batches', 'get', { batchId: batch.id })).status, { timeout: 10_000 }).toBe('done');
    const files = await c.ok('readiness', 'batchReport', { batchId: batch.id });
    expect(files).toMatchObject({ stores: 2, skipped: 0 });
    const html = fs.readFileSync(files.htmlPath, 'utf8');
    expect(html.match(/data-store-row/g)).toHaveLength(2);
    expect(html).toMatch(/<tfoot><tr><td>Totals: 2 stores<\/td>/);
    expect(html).toContain('Beta Tea');
    expect(html).not.toContain('sk_');
  });
});
