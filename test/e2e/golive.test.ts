/**
 * Proof of go-live from the UI (browser shell): a Sandbox store set up end to end, its report (HTML
 * with every check and its evidence, no key; the PDF read back with pdftotext), then its key revoked
 * in the Sandbox: the health watch turns it red within one (shortened) cycle and a desktop
 * notification fires through the browser's Notification API.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/tmp';
import { chromiumAvailable, fitsWidth, launchApp, launchBrowser, type RunningApp } from './launch';
import { BatchesPage, Navigation, SkipTesterPage, StoresPage } from './pages/ConsolePage';
import { ReadinessPanel, StoresHealth } from './pages/ReadinessPage';
import { downloadsDuring } from './pages/downloads';

function pdftotextAvailable(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const havePdftotext = pdftotextAvailable();
if (!havePdftotext && process.env.PSC_REQUIRE_E2E === '1') throw new Error('pdftotext is missing (apt-get install poppler-utils) and PSC_REQUIRE_E2E=1.');
if (!havePdftotext) process.stderr.write('golive E2E: pdftotext is missing (Debian: apt-get install poppler-utils); skipping the report E2E.\n');

/** Records each desktop notification the page creates (and still shows it when the browser can). */
const CAPTURE_NOTIFICATIONS = `
  (() => {
    const Real = window.Notification;
    const shown = [];
    Object.defineProperty(window, '__notifications', { value: shown });
    function Captured(title, options) {
      shown.push({ title, body: options && options.body });
      try { return new Real(title, options); } catch { return {}; }
    }
    Object.defineProperty(Captured, 'permission', { get: () => Real.permission });
    Captured.requestPermission = (...a) => Real.requestPermission(...a);
    window.Notification = Captured;
  })();
`;

describe.skipIf(!chromiumAvailable() || !havePdftotext)('proof of go-live', () => {
  let browser: Browser;
  let context: BrowserContext;
  let app: RunningApp;
  const exports = makeTempDir('psc-e2e-reports-');
  beforeAll(async () => {
    browser = await launchBrowser();
    app = await launchApp({
      env: { POSTSCRIPT_CONSOLE_WEBHOOK_PORT: '0', POSTSCRIPT_CONSOLE_EXPORTS_DIR: exports.dir, POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS: '1000' },
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['notifications'], { origin: new URL(app.url).origin });
    await context.addInitScript(CAPTURE_NOTIFICATIONS);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    exports.cleanup();
  });

  async function open(): Promise<Page> {
    const page = await context.newPage();
    await page.goto(app.url);
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor();
    return page;
  }

  it('reports a completed store, then flags it red when its key is revoked', async () => {
    const page = await open();
    const stores = new StoresPage(page);
    const form = await stores.openAddStore();
    await form.fill({ name: 'Acme Coffee', domain: 'acme-coffee', keyword: 'JOIN' });
    await form.submit();
    const detail = await stores.openStore('Acme Coffee');
    await detail.quickSetup('billing_reminder');
    await detail.sendTest('billing_reminder');
    await page.getByTestId('setup-complete').waitFor();
    await page.getByTestId('finish-setup').click();

    // SKIP, simulated through the Sandbox.
    const nav = new Navigation(page);
    await nav.go('SKIP tester');
    const tester = new SkipTesterPage(page);
    await tester.setUp();
    expect(await tester.simulate('skip')).toMatchObject({ after: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    await nav.go('Stores');
    await stores.openStore('Acme Coffee');
    const readiness = new ReadinessPanel(page);
    await readiness.panel().and(page.locator('[data-overall="pass"]')).waitFor();
    const statuses = await readiness.checkStatuses();
    expect(statuses).toEqual({ key: 'pass', test_user: 'pass', 'event:billing_reminder': 'pass', keyword: 'pass', skip: 'pass', skip_word: 'pass', skiosms: 'noted', webhooks: 'pass' });
    expect((await fitsWidth(page)).offenders).toEqual([]);

    // The report: two files that arrive as downloads and stay in the exports folder, private,
    // self-contained, without any key.
    const files = await readiness.makeReport();
    expect(path.dirname(files.htmlPath)).toBe(exports.dir);
    for (const f of [files.htmlPath, files.pdfPath]) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    expect([files.html.name, files.pdf.name]).toEqual([path.basename(files.htmlPath), path.basename(files.pdfPath)]);
    const html = files.html.text;
    expect(html).toBe(fs.readFileSync(files.htmlPath, 'utf8'));
    // The report states each check as the panel does (the SkioSMS check is the agent's answer there too).
    for (const [id, status] of Object.entries(statuses)) expect(html).toContain(`data-check="${id}" data-status="${status}"`);
    expect(html).toMatch(/Skio_BillingReminderNotification accepted by the Sandbox [\d-]+ [\d:]+ UTC with HTTP 202/);
    expect(html).toMatch(/Payload sent<\/p><pre>\{\n {2}&quot;type&quot;: &quot;Skio_BillingReminderNotification&quot;/);
    expect(html).toMatch(/simulated through the Sandbox .* moved the next billing date from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
    expect(html).toContain('<svg');
    expect(html).not.toContain('sk_');
    expect(html).not.toMatch(/<script|\ssrc=|\shref=/i);
    const text = execFileSync('pdftotext', [files.pdf.file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const title of ['Go-live readiness: Acme Coffee', 'API key valid', 'Test Event User can receive transactional texts', 'Skio: Billing Reminder Notification delivered to the Sandbox', 'Keyword trigger exists', 'SKIP round trip', 'SKIP word is not also a Postscript keyword', 'No double texts with SkioSMS', 'Live webhook registration', 'Attempts over time']) {
      expect(text).toContain(title);
    }
    expect(text).toMatch(/Skio_BillingReminderNotification accepted by the Sandbox/);
    expect(text).not.toContain('sk_');

    // A store that is not live yet is never checked by the watch: the filter leaves it out.
    await page.evaluate(async () => {
      type Api = Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
      const api = (globalThis as unknown as { postscriptConsole: Api }).postscriptConsole;
      await api.stores!.create!({ name: 'Beta Tea', shopDomain: 'beta-tea', account: 'sandbox', credential: { kind: 'sandbox_new_key' } });
    });
    await expect.poll(() => stores.storeItems().count()).toBe(2);

    // Revoked in the Sandbox: red within one watch cycle, a badge, a filter, a notification.
    await readiness.revokeSandboxKey();
    const health = new StoresHealth(page);
    await health.badge('Acme Coffee').and(page.locator('[data-status="red"]')).waitFor({ timeout: 15_000 });
    // This app runs with POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS=1000: the summary shows that, not the agent's 24 h.
    expect(await health.summary().textContent()).toMatch(/^Health watch: every 1 s \(set by an environment variable\)/);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __notifications: Array<{ title: string; body: string }> }).__notifications), { timeout: 10_000 }).toEqual([
      { title: 'Acme Coffee needs attention', body: expect.stringMatching(/^Postscript refuses the API key \(key ending [0-9a-f]{4}\)/) },
    ]);
    const banner = page.getByTestId('health-alert').filter({ hasText: 'Acme Coffee needs attention' });
    await banner.waitFor();
    // From another screen, the banner's Open goes to the store.
    await new Navigation(page).go('Batches');
    await banner.getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('store-title').filter({ hasText: 'Acme Coffee' }).waitFor();
    await health.onlyNeedingAttention(true);
    await expect.poll(() => stores.storeItems().allTextContents()).toEqual([expect.stringContaining('Acme Coffee')]);
    await readiness.check('key').and(page.locator('[data-status="fail"]')).waitFor();
    expect(await page.getByTestId('health-history').locator('li').first().getAttribute('data-status')).toBe('red');
    // Archived, it leaves the needs-attention count with the list (and comes back when unarchived).
    const attention = page.getByTestId('filter-attention').locator('xpath=..');
    await expect.poll(() => attention.textContent()).toMatch(/Needs attention \(1\)/);
    await page.getByTestId('archive-store').click();
    await expect.poll(() => attention.textContent()).toMatch(/Needs attention \(0\)/);
    await page.getByTestId('archive-store').click();
    await expect.poll(() => attention.textContent()).toMatch(/Needs attention \(1\)/);
  });

  it('reports a batch: one line per store and totals, in HTML and PDF', async () => {
    const page = await open();
    await new Navigation(page).go('Batches');
    const batches = new BatchesPage(page);
    await batches.startBatch({ name: 'Go-live wave' });
    await batches.batch('Go-live wave').and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });
    // Its HTML and PDF arrive as downloads.
    const [first, second] = await downloadsDuring(page, 2, () => batches.batch('Go-live wave').getByTestId('batch-readiness-report').click());
    const htmlFile = [first!, second!].find((d) => d.name.endsWith('.html'))!;
    const pdfFile = [first!, second!].find((d) => d.name.endsWith('.pdf'))!;
    expect(htmlFile.name).toMatch(/^readiness-batch-go-live-wave-[\d-]+\.html$/);
    await batches.batch('Go-live wave').getByTestId('batch-report-note').filter({ hasText: 'saved' }).waitFor();
    const html = htmlFile.text;
    // Acme Coffee was sent to (its key is revoked now, so it is not ready); Beta Tea has no event on, so the batch left it out.
    expect(html.match(/data-store-row/g)).toHaveLength(1);
    expect(html).toMatch(/<tr class="fail" data-store-row><td>Acme Coffee<\/td>/);
    expect(html).toMatch(/<tfoot><tr><td>Totals: 1 store<\/td>/);
    // The checks not passed say which failed and which only warned.
    expect(html).toMatch(/API key valid \(failed\)/);
    expect(html).not.toContain('sk_');
    const text = execFileSync('pdftotext', [pdfFile.file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Go-live readiness: batch Go-live wave');
    expect(text).toMatch(/FAIL Acme Coffee \(acme-coffee\.myshopify\.com\)/);

    // Recovered by hand: an empty Rotate key asks for one; a new key of the same Sandbox shop is taken.
    await new Navigation(page).go('Stores');
    const detail = await new StoresPage(page).openStore('Acme Coffee');
    expect(await detail.rotateKey('')).toMatch(/^Paste the new key/);
    const readiness = new ReadinessPanel(page);
    expect(await readiness.check('key').getByTestId('check-action').textContent()).toMatch(/Make a new key and use it, below/);
    // The new key is made and saved in main: the page sees only its mask.
    const said = await readiness.makeNewKey();
    expect(said).toMatch(/^A new Sandbox key \(sk_…\w{4}\) was made for this store’s shop and is now in use\.$/);
    await expect.poll(() => page.getByTestId('key-status').textContent()).toMatch(/^valid/);
    await readiness.check('key').and(page.locator('[data-status="pass"]')).waitFor();
    // Postscript accepted the new key: the old key's refusal counts nowhere any more.
    await expect.poll(() => page.getByTestId('filter-attention').locator('xpath=..').textContent()).toMatch(/Needs attention \(0\)/);

    // The Sandbox page makes one too, for the store picked by part of its name.
    await new Navigation(page).go('Sandbox');
    await page.getByTestId('sandbox-key-store').fill('acme');
    await page.getByTestId('make-sandbox-key').click();
    expect(await page.getByTestId('new-sandbox-key-note').textContent()).toMatch(/^A new Sandbox key \(sk_…\w{4}\) was made/);
    // An out-of-range fault is refused in words, and nothing changes.
    await page.getByTestId('fault-rate429').fill('150');
    await page.getByRole('button', { name: 'Apply faults' }).click();
    expect(await page.getByTestId('fault-error').textContent()).toBe('429 rate limit (%) must be a number from 0 to 100; nothing was changed.');
    expect(await page.getByText(/^Now: 429/).textContent()).toMatch(/^Now: 429 0%/);
  });
});
