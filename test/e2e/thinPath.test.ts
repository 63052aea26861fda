/**
 * The foundation's thin path, in the browser shell, as an agent does it: add a store against the
 * Sandbox, turn on an event, send a test, see it in the delivery log and in the Sandbox's record.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY } from '../../src-main/sandbox/state';
import { chromiumAvailable, launchApp, launchBrowser, openApp, type RunningApp } from './launch';
import { Navigation, StoresPage } from './pages/ConsolePage';

const skip = !chromiumAvailable();
if (skip) console.warn('Skipping browser E2E: no Chromium at /usr/bin/chromium (apt-get install chromium).');

let browser: Browser;
const apps: RunningApp[] = [];
beforeAll(async () => {
  if (!skip) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const a of apps.splice(0)) await a.stop();
});

async function start(env: Record<string, string> = {}): Promise<RunningApp> {
  const app = await launchApp({ env });
  apps.push(app);
  return app;
}

describe.skipIf(skip)('thin path in the browser shell', () => {
  it('adds a Sandbox store, sends a test event, and sees it in the log and in the Sandbox', async () => {
    const app = await start();
    const { page, received } = await openApp(browser, app);
    const stores = new StoresPage(page);

    const form = await stores.openAddStore();
    await form.fill({ name: 'Acme Coffee', domain: 'https://acme-coffee.myshopify.com/admin', apiKey: DEMO_PRIVATE_KEY });
    await form.submit();

    const detail = await stores.openStore('Acme Coffee');
    await expect.poll(() => detail.shopName().textContent()).toBe('Demo Coffee Co');
    expect(await detail.keyMask().textContent()).toBe(`sk_…${DEMO_PRIVATE_KEY.slice(-4)}`);
    expect(await stores.storeItems().filter({ hasText: 'acme-coffee.myshopify.com' }).count()).toBe(1);

    await detail.quickSetup('billing_reminder', '555-555-0100');
    await detail.sendTest('billing_reminder');
    await detail.deliveryRows().first().waitFor();
    expect(await detail.deliveryRows().first().getByTestId('delivery-outcome').textContent()).toBe('delivered');
    expect(await detail.deliveryRows().first().getByTestId('delivery-status').textContent()).toBe('202');
    await expect.poll(() => detail.status('billing_reminder').textContent()).toMatch(/^sent/);

    // The detail pane shows the request with the key masked, and Postscript's answer.
    await detail.deliveryRows().first().click();
    expect(await page.getByTestId('request-headers').textContent()).toContain(`authorization: Bearer sk_…${DEMO_PRIVATE_KEY.slice(-4)}`);
    expect(await page.getByTestId('response-body').textContent()).toContain('event_ids');

    // The Sandbox received it, so Postscript's flow builder would now list the event.
    const events = (await (await fetch(`${app.sandboxUrl}/_sandbox/events`)).json()) as { events: Array<{ type: string; body: { phone: string } }> };
    expect(events.events.map((e) => [e.type, e.body.phone])).toEqual([['Skio_BillingReminderNotification', '+15555550100']]);
    const nav = new Navigation(page);
    await nav.go('Sandbox');
    await expect.poll(() => page.getByTestId('sandbox-event-types').textContent()).toContain('Skio_BillingReminderNotification');

    // The global delivery log has it too.
    await nav.go('Delivery log');
    await expect.poll(() => page.getByTestId('delivery-row').count()).toBe(1);

    // Nothing the app sent to the renderer contained the key.
    expect(received.length).toBeGreaterThan(5);
    for (const body of received) expect(body).not.toContain(DEMO_PRIVATE_KEY);
  });

  it('a generated Sandbox key works without the agent ever seeing it', async () => {
    const app = await start();
    const { page, received } = await openApp(browser, app);
    const stores = new StoresPage(page);
    const form = await stores.openAddStore();
    await form.fill({ name: 'Bean There', domain: 'bean-there' });
    await form.submit();
    const detail = await stores.openStore('Bean There');
    await expect.poll(() => detail.shopName().textContent()).toBe('Bean There');
    const mask = (await detail.keyMask().textContent()) ?? '';
    expect(mask).toMatch(/^sk_…[0-9a-f]{4}$/);
    for (const body of received) expect(body).not.toMatch(/sk_sandbox_[0-9a-f]{32}/);
  });

  it.each([
    ['a public (pk_) key', DEMO_PUBLIC_KEY, /public key \(pk_\)/],
    ['a key Postscript refuses', 'sk_wrong_0123456789abcdef', /Postscript refused this API key/],
  ])('shows a clear message for %s and creates no store', async (_label, apiKey, message) => {
    const app = await start();
    const { page } = await openApp(browser, app);
    const stores = new StoresPage(page);
    const form = await stores.openAddStore();
    await form.fill({ name: 'Acme Coffee', domain: 'acme-coffee', apiKey });
    await form.submit();
    await form.keyError().waitFor();
    expect(await form.keyError().textContent()).toMatch(message);
    expect(await stores.storeItems().count()).toBe(0);
    await page.reload();
    await page.locator('[data-ready="true"]').waitFor();
    expect(await stores.storeItems().count()).toBe(0);
  });
});
