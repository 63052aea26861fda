/** A small send-test batch run from the UI: the progress bar reaches the end and the counts add up. */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, withAppAndBrowser, openApp, type RunningApp } from './launch';
import { BatchesPage, Navigation } from './pages/ConsolePage';

const skip = !chromiumAvailable();

describe.skipIf(skip)('batches', () => {
  let browser!: Browser;
  let app!: RunningApp;
  withAppAndBrowser((b, a) => {
    browser = b;
    app = a;
  });

  it('runs a batch across stores and watches the progress bar reach the end', async () => {
    const { page } = await openApp(browser, app);
    // Setup through the app's own API (the wizard has its own tests): three stores, events on.
    await page.evaluate(async () => {
      const api = (globalThis as unknown as { postscriptConsole: Record<string, Record<string, (i: unknown) => Promise<{ ok: boolean; value: { id: string } }>>> }).postscriptConsole;
      for (const [i, name] of ['Alpha Roasters', 'Beta Beans', 'Gamma Grounds'].entries()) {
        const r = await api.stores!.create!({ name, shopDomain: `store-${i}-e2e`, account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
        for (const eventKey of ['subscription_renewed', 'card_expiration', 'subscription_created', 'billing_reminder']) {
          await api.triggers!.set!({ storeId: r.value.id, eventKey, enabled: true });
        }
      }
    });
    await new Navigation(page).go('Batches');
    const batches = new BatchesPage(page);
    await batches.startBatch({ name: 'E2E run' });
    await batches.batch('E2E run').waitFor();
    // Its report table, opened while it runs, stays open as it finishes.
    await batches.batch('E2E run').getByRole('button', { name: 'Report', exact: true }).click();
    await expect.poll(() => batches.progress('E2E run'), { timeout: 20_000 }).toEqual({ value: 12, max: 12 });
    await expect.poll(() => batches.batch('E2E run').getAttribute('data-status')).toBe('done');
    expect(await batches.batch('E2E run').getByTestId('batch-counts').textContent()).toContain('12 sent');
    await expect.poll(() => batches.batch('E2E run').getByTestId('batch-items').locator('tbody tr').count()).toBe(12);
    // Its CSV arrives as a download: a header and one line per item.
    const csv = await batches.exportCsv('E2E run');
    expect(csv.name).toMatch(/^batch-[\d-]+\.csv$/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^store,shop_domain,event,/);
    expect(lines.slice(1).filter((l) => l.includes(',delivered,'))).toHaveLength(12);

    // The Sandbox received all twelve.
    const { events } = (await (await fetch(`${app.sandboxUrl}/_sandbox/events`)).json()) as { events: unknown[] };
    expect(events).toHaveLength(12);

    // A CSV batch naming an unknown store says so.
    await batches.startBatch({ name: 'CSV run', csv: 'shop\nstore-0-e2e.myshopify.com\nnope-shop.myshopify.com' });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Not a store set up here (left out)' }).textContent()).toContain('nope-shop.myshopify.com');
    await expect.poll(() => batches.progress('CSV run'), { timeout: 20_000 }).toEqual({ value: 4, max: 4 });
  });

  it('under a 429 storm, the batch card and the banner say Postscript is rate-limiting the key and when the next try is', async () => {
    const { page } = await openApp(browser, app);
    await fetch(`${app.sandboxUrl}/_sandbox/faults`, { method: 'PUT', body: JSON.stringify({ rate429: 1 }) });
    await new Navigation(page).go('Batches');
    const batches = new BatchesPage(page);
    await batches.startBatch({ name: 'Storm run' });
    const said = /^Postscript is rate-limiting this key \(429\): (next try in \d+ s|trying again now)\.$/;
    await expect.poll(() => batches.waitNote('Storm run'), { timeout: 20_000 }).toMatch(said);
    expect(await page.getByTestId('outbox-wait').textContent()).toMatch(said);
    expect(await batches.batch('Storm run').getByTestId('batch-counts').textContent()).toContain('0 of 12 done');
    // Once Postscript lets it through, the batch finishes and no longer says it waits.
    await fetch(`${app.sandboxUrl}/_sandbox/faults`, { method: 'DELETE' });
    await expect.poll(() => batches.batch('Storm run').getAttribute('data-status'), { timeout: 40_000 }).toBe('done');
    expect(await batches.waitNote('Storm run')).toBe('');
  });

  it('after the tries are used up under a 429 storm, the card says why its sends failed', async () => {
    const { page } = await openApp(browser, app);
    await fetch(`${app.sandboxUrl}/_sandbox/faults`, { method: 'PUT', body: JSON.stringify({ rate429: 1 }) });
    await new Navigation(page).go('Batches');
    const batches = new BatchesPage(page);
    await batches.startBatch({ name: 'Given-up run' });
    await expect.poll(() => batches.batch('Given-up run').getAttribute('data-status'), { timeout: 90_000, interval: 500 }).toBe('done');
    await fetch(`${app.sandboxUrl}/_sandbox/faults`, { method: 'DELETE' });
    expect(await batches.batch('Given-up run').getByTestId('batch-failed-why').textContent()).toBe(
      '12 failed: Postscript kept rate-limiting this key (429) after 6 tries; last answer: Rate limit exceeded.',
    );
  }, 120_000);

  it('over all stores it counts and takes the active ones; pickers name each store Live or Sandbox, and Archived', async () => {
    const { page } = await openApp(browser, app);
    await page.evaluate(async () => {
      const api = (globalThis as unknown as { postscriptConsole: Record<string, Record<string, (i: unknown) => Promise<{ ok: boolean; value: unknown }>>> }).postscriptConsole;
      const list = (await api.stores!.list!({})).value as Array<{ id: string; name: string }>;
      await api.stores!.archive!({ storeId: list.find((s) => s.name === 'Gamma Grounds')!.id, archived: true });
    });
    await new Navigation(page).go('Batches');
    await page.getByTestId('new-batch').click();
    const all = page.locator('label', { has: page.getByTestId('batch-stores-all') });
    await expect.poll(() => all.textContent()).toContain('All 2 active stores (1 archived left out)');
    await page.getByTestId('batch-stores-some').check();
    const gamma = page.locator('.checklist label', { hasText: 'Gamma Grounds' });
    expect(await gamma.textContent()).toContain('Gamma Grounds (store-2-e2e.myshopify.com) · Sandbox · Archived');
    expect(await gamma.locator('input').isDisabled()).toBe(true);
    expect(await page.locator('.checklist label', { hasText: 'Alpha Roasters' }).textContent()).toContain('Alpha Roasters (store-0-e2e.myshopify.com) · Sandbox');
  });
});
