/** The delivery log from the UI: filter, open, resend, export; no secret ever shown or written. */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { makeTempDir } from '../helpers/tmp';
import { chromiumAvailable, launchApp, launchBrowser, openApp, type RunningApp } from './launch';
import { DeliveryLogPage, Navigation } from './pages/ConsolePage';

const skip = !chromiumAvailable();

describe.skipIf(skip)('delivery log', () => {
  let browser: Browser;
  let app: RunningApp;
  const exportsDir = makeTempDir('psc-e2e-exports-');
  beforeAll(async () => {
    browser = await launchBrowser();
    app = await launchApp({ env: { POSTSCRIPT_CONSOLE_EXPORTS_DIR: exportsDir.dir } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    exportsDir.cleanup();
  });

  it('filters, opens a row, resends it and sees the new attempt; exports what it shows', async () => {
    const { page, received } = await openApp(browser, app);
    // Two stores through the app's own API: Alpha delivers, Beta's test user is no subscriber (404).
    await page.evaluate(async (key) => {
      type Api = Record<string, Record<string, (i: unknown) => Promise<{ ok: boolean; value: { id: string } }>>>;
      const api = (globalThis as unknown as { postscriptConsole: Api }).postscriptConsole;
      const stores = [
        await api.stores!.create!({ name: 'Alpha Roasters', shopDomain: 'alpha-roasters', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: key } }),
        await api.stores!.create!({ name: 'Beta Beans', shopDomain: 'beta-beans', account: 'sandbox', testPhone: '+15555550199', credential: { kind: 'sandbox_new_key' } }),
      ];
      for (const s of stores) {
        for (const eventKey of ['subscription_renewed', 'card_expiration']) {
          await api.triggers!.set!({ storeId: s.value.id, eventKey, enabled: true });
          await api.tests!.send!({ storeId: s.value.id, eventKey });
        }
      }
    }, DEMO_PRIVATE_KEY);
    await new Navigation(page).go('Delivery log');
    const log = new DeliveryLogPage(page);
    await expect.poll(() => log.rows().count(), { timeout: 15_000 }).toBe(4);

    // With no filter, a bulk resend is not offered.
    expect(await page.getByTestId('resend-filtered').isDisabled()).toBe(true);
    await log.filterOutcome('failed');
    await expect.poll(() => log.rows().count()).toBe(2);
    // It says how many it will send, and asks once: declined, nothing is queued.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByTestId('resend-filtered').click();
    await expect.poll(() => asked).toEqual([expect.stringMatching(/^Resend 2 events this filter shows/)]);
    expect(await log.rows().count()).toBe(2);
    // The filter is in the address: a reload keeps it.
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/log?outcome=failed');
    await new Navigation(page).reload();
    await expect.poll(() => log.rows().count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByTestId('filter-outcome').inputValue()).toBe('failed');
    await log.filterOutcome('');
    // Part of a name: more than one store matches and nothing is filtered yet; one match is applied.
    await log.filterStore('a');
    await expect.poll(() => page.getByTestId('filter-store-matches').textContent()).toBe('2 stores match: choose one');
    expect(await log.rows().count()).toBe(4);
    await log.filterStore('Alph');
    await expect.poll(() => log.rows().count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Clear filters' }).isDisabled()).toBe(false);
    await log.filterStore('Alpha Roasters');
    await expect.poll(() => log.rows().count()).toBe(2);
    await log.search('555-555-0100');
    await expect.poll(() => log.rows().count()).toBe(2);
    await log.search('could not find');
    await expect.poll(() => log.rows().count()).toBe(0); // Alpha had no failures
    await log.search('');
    await expect.poll(() => log.rows().count()).toBe(2);

    const detail = await log.open(0);
    // It opens where the eye is: scrolled into view, with the focus on it.
    await expect.poll(() => detail.evaluate((el) => document.activeElement === el && el.getBoundingClientRect().top < window.innerHeight)).toBe(true);
    expect(await detail.getByTestId('request-headers').textContent()).toContain(`authorization: Bearer sk_…${DEMO_PRIVATE_KEY.slice(-4)}`);
    expect(await detail.getByTestId('curl').textContent()).toMatch(/^curl -X POST/);
    // Escape closes it and gives the focus back to its row.
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('delivery-row');
    await log.open(0);
    await detail.getByTestId('resend').click();
    await expect.poll(() => log.rows().count(), { timeout: 15_000 }).toBe(3);
    expect(await log.rows().first().getByTestId('delivery-outcome').textContent()).toBe('delivered');

    // Each export arrives as a download, and stays in the exports folder.
    const csvFile = await log.export('csv');
    expect(csvFile.downloaded.name).toMatch(/^postscript-deliveries-[\d-]+\.csv$/);
    expect(fs.readFileSync(csvFile.kept, 'utf8')).toBe(csvFile.downloaded.text);
    const csv = csvFile.downloaded.text.trim().split('\r\n');
    expect(csv).toHaveLength(4); // header + Alpha's three attempts
    expect(csv.slice(1).every((l) => l.includes(',Alpha Roasters,'))).toBe(true);
    const jsonFile = await log.export('json');
    expect((JSON.parse(jsonFile.downloaded.text) as unknown[]).length).toBe(3);

    // No secret in what the app sent to the page, nor in the exports.
    for (const body of received) expect(body).not.toContain(DEMO_PRIVATE_KEY);
    for (const f of [csvFile, jsonFile]) expect(f.downloaded.text).not.toContain(DEMO_PRIVATE_KEY);
    expect(await page.content()).not.toContain(DEMO_PRIVATE_KEY);
  });
});
