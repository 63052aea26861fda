/**
 * Issue 13, as an agent on hotel Wi-Fi: a live store is set up while Postscript is out of reach,
 * tests are queued, the app is restarted, Postscript comes back, and the store is checked and its
 * tests delivered without the agent doing anything more. And the Settings screen refuses a bad
 * value with the reason and says when an environment variable wins.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src-main/sandbox/server';
import { holdDownPort } from '../helpers/connectProxy';
import { makeTempDir } from '../helpers/tmp';
import { chromiumAvailable, launchApp, launchBrowser, openApp, type RunningApp } from './launch';
import { Navigation, OfflineBanner, SettingsPage, StoreDetailPage, StoresPage } from './pages/ConsolePage';

const skip = !chromiumAvailable();
if (skip) console.warn('Skipping browser E2E: no Chromium at /usr/bin/chromium (apt-get install chromium).');

let browser: Browser;
const cleanups: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  if (!skip) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(dataDir: string, env: Record<string, string>): Promise<RunningApp> {
  const app = await launchApp({ dataDir, env });
  cleanups.push(() => app.stop());
  return app;
}

describe.skipIf(skip)('setting up a live store while Postscript is out of reach', () => {
  it('keeps everything, survives a restart, then checks the store and delivers its queued tests by itself', async () => {
    const tmp = makeTempDir('psc-e2e-offline-');
    cleanups.push(tmp.cleanup);
    const down = await holdDownPort();
    cleanups.push(() => down.release());
    const port = down.port;
    const env = { POSTSCRIPT_LIVE_BASE_URL: `http://127.0.0.1:${port}` };
    // Postscript, for when it comes back: a standalone Sandbox with this shop's key.
    const live = new Sandbox();
    const { privateKey } = live.state.createShop('Hotel Wifi Coffee');

    const first = await start(tmp.dir, env);
    const { page } = await openApp(browser, first);
    const stores = new StoresPage(page);
    const form = await stores.openAddStore();
    await form.fillStore({ name: 'Hotel Wifi Coffee', domain: 'hotel-wifi-coffee', account: 'live' });
    await form.next();
    await form.fillKey({ account: 'live', apiKey: privateKey, keyword: 'coffeeclub' });
    await form.submit();
    const detail = new StoreDetailPage(page);
    await page.getByTestId('store-unchecked').waitFor();
    expect(await page.getByTestId('key-status').getAttribute('data-status')).toBe('unchecked');
    expect(await detail.keyMask().textContent()).toMatch(/^sk_…/);
    const user = await detail.checkTestUser('+1 555 555 0100');
    expect(user.status).toBe('unchecked');
    await detail.toEvents();
    await detail.enable('subscription_created');
    await detail.toTests();
    await page.getByTestId('send-all').click();
    const offline = new OfflineBanner(page);
    // The banner can show the endpoint offline (the key check failed first) a moment before the
    // queued send is counted: wait for the count rather than reading the first text it shows.
    await offline.banner().filter({ hasText: /1 send waiting/ }).waitFor();
    expect(await offline.banner().textContent()).toMatch(/Offline: Postscript cannot be reached.*1 send waiting/);
    await offline.nextTry().waitFor();
    await page.close();
    await first.stop();

    const second = await start(tmp.dir, env);
    const reopened = await openApp(browser, second);
    const detail2 = await new StoresPage(reopened.page).openStore('Hotel Wifi Coffee');
    await reopened.page.getByTestId('store-unchecked').waitFor();
    await down.release();
    await live.listen(port, '127.0.0.1'); // Postscript is reachable again
    cleanups.push(() => live.close());

    await expect.poll(() => detail2.shopName().textContent(), { timeout: 30_000 }).toBe('Hotel Wifi Coffee');
    await expect.poll(() => reopened.page.getByTestId('app-alert').first().textContent(), { timeout: 30_000 }).toMatch(/Hotel Wifi Coffee was checked with Postscript now that it is reachable: key accepted.*keyword COFFEECLUB found.*can receive transactional texts/);
    expect(await reopened.page.getByTestId('store-unchecked').count()).toBe(0);
    await expect.poll(() => live.state.data.events.map((e) => e.type), { timeout: 30_000 }).toEqual(['Skio_NewSubscriptionCreated']);
    await expect.poll(() => detail2.status('subscription_created').textContent(), { timeout: 15_000 }).toMatch(/^sent \(202\)/);
  });
});

describe.skipIf(skip)('settings screen', () => {
  it('refuses a malformed address with the reason, saves a good one, and says when an environment variable wins', async () => {
    const tmp = makeTempDir('psc-e2e-settings-');
    cleanups.push(tmp.cleanup);
    // A proxy from the environment that nothing may use: no_proxy sends 127.0.0.1 direct.
    const app = await start(tmp.dir, { POSTSCRIPT_CONSOLE_WEBHOOK_HOST: '127.0.0.1', https_proxy: 'http://127.0.0.1:9', no_proxy: '127.0.0.1' });
    const { page } = await openApp(browser, app);
    await new Navigation(page).go('Settings');
    const settings = new SettingsPage(page);
    expect(await settings.saveNetwork({ liveBaseUrl: 'api.postscript' })).toMatch(/is not a URL/);
    expect(await settings.saveNetwork({ liveBaseUrl: 'http://api.postscript.io' })).toMatch(/Use https:\/\/ for api\.postscript\.io/);
    expect(await settings.saveNetwork({ liveBaseUrl: '', caFile: '/nonexistent/ca.pem' })).toMatch(/cannot be read: there is no such file/);
    expect(await settings.saveNetwork({ liveBaseUrl: 'https://staging.example.com', caFile: '' })).toBeNull();
    await expect.poll(() => settings.effective('liveBaseUrl').textContent()).toMatch(/staging\.example\.com \(set here\)/);
    expect(await settings.note('listenerHost').textContent()).toMatch(/POSTSCRIPT_CONSOLE_WEBHOOK_HOST is set to 127\.0\.0\.1: it wins over this setting/);
    await page.reload();
    await page.locator('[data-ready="true"]').waitFor();
    await new Navigation(page).go('Settings');
    expect(await new SettingsPage(page).field('liveBaseUrl').inputValue()).toBe('https://staging.example.com');
    // Settings → Team says this console works alone and leads to the Team screen.
    await expect.poll(() => page.getByTestId('settings-team-state').textContent()).toMatch(/Not in a team/);
    await page.getByTestId('settings-team').getByRole('button', { name: 'Join a team' }).click();
    await page.getByTestId('team-settings').waitFor();

    // The environment's no_proxy is named on the screen, and Check connection says the route it took.
    await new Navigation(page).go('Settings');
    const network = new SettingsPage(page);
    expect(await network.saveNetwork({ liveBaseUrl: 'https://127.0.0.1:1' })).toBeNull();
    await expect.poll(() => network.note('noProxy').textContent()).toBe('In use: no_proxy=127.0.0.1 from the environment, with https_proxy: those hosts are reached directly.');
    expect(await network.checkConnection()).toMatch(/ Route: direct: 127\.0\.0\.1 is in no_proxy \(127\.0\.0\.1\), so the proxy http:\/\/127\.0\.0\.1:9 \(https_proxy\) is not used\./);
  });
});
