/**
 * The console keeps up without a reload: the stores list's counts, the step pills and the draft
 * card follow what the agent does, a finished store opens on Done, and a reload keeps the place.
 * No reload happens before the last part, which is about reloads.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, withAppAndBrowser, openApp, type RunningApp } from './launch';
import { Navigation, StoreDetailPage, StoresPage } from './pages/ConsolePage';

const EVENTS = ['subscription_created', 'subscription_renewed', 'card_expiration'];

describe.skipIf(!chromiumAvailable())('screens that keep up', () => {
  let browser!: Browser;
  let app!: RunningApp;
  withAppAndBrowser((b, a) => {
    browser = b;
    app = a;
  });

  it('follows Send all to "set up", marks finished steps, offers the draft, opens a finished store on Done, and keeps the place across a reload', async () => {
    const { page } = await openApp(browser, app);
    const stores = new StoresPage(page);
    const nav = new Navigation(page);

    // A second store, so that switching away and back is possible.
    const other = await stores.openAddStore();
    await other.fill({ name: 'Other Beans', domain: 'other-beans' });
    await other.submit();
    await stores.openStore('Other Beans');

    // Creating a store fetches its row, not the whole list again.
    const channels: string[] = [];
    page.on('request', (r) => {
      const m = /\/__ipc\/([^?]+)/.exec(r.url());
      if (m !== null) channels.push(decodeURIComponent(m[1]!));
    });
    const form = await stores.openAddStore();
    await form.fillStore({ name: 'Keep Up Coffee', domain: 'keep-up-coffee' });
    await form.next();
    // In the wizard, the finished first step has its ✓ and opens again (the typed name is there).
    await expect.poll(() => page.getByTestId('pill-store').textContent()).toMatch(/^✓ 1 Store/);
    await page.getByTestId('step-store').click();
    expect(await page.getByTestId('store-name').inputValue()).toBe('Keep Up Coffee');
    await form.next();
    await form.fillKey({});
    await form.submit();
    // The new store opens by itself, and has its entry in the list.
    await expect.poll(() => page.getByTestId('store-title').textContent()).toContain('Keep Up Coffee');
    await stores.storeItems().filter({ hasText: 'Keep Up Coffee' }).waitFor();
    expect(channels).toContain('stores:byIds');
    expect(channels).not.toContain('stores:list');
    const detail = new StoreDetailPage(page);
    expect(await detail.pill('user').getAttribute('data-finished')).toBe('false');
    // The store and its keyword are done: each says so with its ✓, in words too, and opens.
    for (const step of ['store', 'keyword'] as const) {
      expect(await detail.pill(step).getAttribute('data-finished')).toBe('true');
      expect(await detail.pill(step).getByRole('button').textContent()).toMatch(/^✓ .* \(finished\)$/);
    }
    await page.getByTestId('step-store').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('store-title');
    expect(await page.getByTestId('deliveries-empty').textContent()).toMatch(/^No deliveries yet/);
    await detail.checkTestUser('+1 555 555 0100');
    await expect.poll(() => detail.pill('user').getAttribute('data-finished')).toBe('true');
    await detail.toEvents();
    for (const e of EVENTS) await detail.enable(e);
    await expect.poll(() => detail.pill('events').getAttribute('data-finished')).toBe('true');
    await expect.poll(() => stores.progress('Keep Up Coffee').textContent()).toBe('0 of 3 events sent');
    await detail.toTests();

    await detail.sendAll();
    // The list entry, the step header and the pills follow the sends as they settle.
    await expect.poll(() => stores.progress('Keep Up Coffee').textContent(), { timeout: 15_000 }).toBe('✓ set up · 3 events');
    await expect.poll(() => page.getByTestId('tests-queued').count()).toBe(0);
    for (const e of EVENTS) expect(await detail.status(e).textContent()).toMatch(/^sent \(202\)/);
    await expect.poll(() => detail.pill('test').getAttribute('data-finished')).toBe('true');
    expect(await detail.pill('done').getAttribute('data-finished')).toBe('true');
    expect(await detail.openStep()).toBe('test');

    // A finished store opens on its summary.
    await stores.openStore('Other Beans');
    await stores.openStore('Keep Up Coffee');
    await expect.poll(() => detail.openStep()).toBe('done');
    await expect.poll(() => page.getByTestId('setup-summary').textContent()).toContain('3 of 3 enabled events accepted by the Sandbox');
    for (const step of ['store', 'keyword', 'user', 'events', 'test', 'done'] as const) {
      expect(await detail.pill(step).getAttribute('data-finished')).toBe('true');
      expect(await detail.pill(step).textContent()).toMatch(/^✓ /);
    }
    // Every finished step opens.
    await detail.goToStep('events');
    expect(await detail.openStep()).toBe('events');
    // Revisited, a finished store's step does not offer to walk the setup again.
    await detail.goToStep('user');
    expect(await page.getByTestId('to-events').count()).toBe(0);
    await detail.goToStep('done');

    // A new store left half-way (the agent opens another store; Cancel would discard it) is offered at once.
    expect(await stores.draftCard().count()).toBe(0);
    const draft = await stores.openAddStore();
    await draft.fillStore({ name: 'Half Done Tea', domain: 'half-done-tea' });
    await stores.openStore('Keep Up Coffee');
    await expect.poll(() => stores.draftCard().textContent()).toContain('Half Done Tea');

    // A reload keeps the open store, then the open screen.
    await stores.openStore('Keep Up Coffee');
    expect(page.url()).toMatch(/#\/stores\/[\w-]+$/);
    await nav.reload();
    await expect.poll(() => page.getByTestId('store-title').textContent()).toContain('Keep Up Coffee');
    expect(await nav.current()).toBe('Stores');
    await nav.go('Delivery log');
    await page.getByTestId('log-search').waitFor();
    await nav.reload();
    await page.getByTestId('log-search').waitFor();
    expect(await nav.current()).toBe('Delivery log');
    // Back goes to the store, as in a browser.
    await page.goBack();
    await expect.poll(() => page.getByTestId('store-title').textContent()).toContain('Keep Up Coffee');
    // An address naming a store that is not here lands on the list.
    await page.goto(`${new URL(app.url).origin}/#/stores/no-such-store`);
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/stores');
    expect(await page.getByTestId('store-detail').count()).toBe(0);
  });
});
