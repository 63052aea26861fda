/** The SKIP tester from the UI: Simulate SKIP moves the next billing date, once. */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, fitsWidth, withAppAndBrowser, openApp, type RunningApp } from './launch';
import { Navigation, SkipTesterPage } from './pages/ConsolePage';

const skip = !chromiumAvailable();

describe.skipIf(skip)('SKIP tester', () => {
  let browser!: Browser;
  let app!: RunningApp;
  withAppAndBrowser((b, a) => {
    browser = b;
    app = a;
  }, { env: { POSTSCRIPT_CONSOLE_WEBHOOK_PORT: '0' } });

  it('simulates SKIP and its variants and shows the new date', async () => {
    const { page } = await openApp(browser, app);
    await page.evaluate(async () => {
      type Api = Record<string, Record<string, (i: unknown) => Promise<{ ok: boolean; value: { id: string } }>>>;
      const api = (globalThis as unknown as { postscriptConsole: Api }).postscriptConsole;
      const s = await api.stores!.create!({ name: 'Skip Roasters', shopDomain: 'skip-roasters', account: 'sandbox', testPhone: '+15555550100', keyword: 'JOIN', credential: { kind: 'sandbox_new_key' } });
      await api.triggers!.set!({ storeId: s.value.id, eventKey: 'next_billing_date_updated', enabled: true });
    });
    await new Navigation(page).go('SKIP tester');
    const tester = new SkipTesterPage(page);
    // Before set-up, Set up is the main button and the page says a simulation sets up too.
    await page.getByTestId('setup-first').waitFor();
    expect(await page.getByTestId('skip-setup').textContent()).toBe('Set up');
    await tester.setUp();
    expect(await page.getByTestId('callback-url').textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/postscript\/webhooks\//);
    await page.getByTestId('next-billing-date').fill('2030-01-15');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await expect.poll(() => page.getByTestId('skip-note').textContent()).toBe('Test subscription saved.');

    const skipped = await tester.simulate('skip');
    expect(skipped).toMatchObject({ before: '2030-01-15', after: '2030-02-14' });
    expect(skipped.text).toContain('skipped');
    await expect.poll(() => page.getByTestId('skipped-count').textContent()).toBe('1 skip so far');

    const dup = await tester.simulate('duplicate');
    expect(dup).toMatchObject({ before: '2030-02-14', after: '2030-03-16' });
    expect(dup.text).toMatch(/skipped[\s\S]*duplicate/);

    for (const v of ['skip_please', 'opted_out'] as const) {
      const r = await tester.simulate(v);
      expect(r.after).toBe(r.before);
      expect(r.text).toContain('ignored');
    }
    // The opted-out sender is someone else than the (opted-in) test subscriber, and the result says who.
    expect((await tester.simulate('opted_out')).text).toMatch(/from \+15555550102 · ignored: The sender opted out/);
    const wrong = await tester.simulate('wrong_signature');
    expect(wrong.after).toBe(wrong.before);
    expect(wrong.text).toMatch(/HTTP 401 · from \S+ · rejected/);

    await expect.poll(() => page.getByTestId('reminder-text').textContent()).toContain('Reply SKIP to skip your next order.');
    // The reminder quotes the date the test subscription shown above renews on.
    const renews = await page.getByTestId('next-billing-date').inputValue();
    await expect.poll(() => page.getByTestId('reminder-text').textContent()).toContain(`on ${renews},`);
    expect(await page.getByTestId('skip-setup').textContent()).toBe('Set up again');
    expect(await page.getByTestId('reminder-size').textContent()).toMatch(/GSM-7 · 1 SMS segment/);
    await expect.poll(() => page.getByTestId('inbound-log').locator('tbody tr').count()).toBe(7);
    expect((await fitsWidth(page)).offenders).toEqual([]);
  });
});
