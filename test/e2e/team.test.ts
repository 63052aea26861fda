/** Two browser shells in one team: B's stores list gains A's new store without a reload. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { chromiumAvailable, launchApp, launchBrowser, openApp, type RunningApp } from './launch';
import { Navigation, StoresPage } from './pages/ConsolePage';
import { TeamPage } from './pages/TeamPage';

const skip = !chromiumAvailable();

describe.skipIf(skip)('team mode in two consoles', () => {
  let browser: Browser;
  let server: TestPostgres;
  const apps: RunningApp[] = [];
  beforeAll(async () => {
    server = await startPostgres();
    browser = await launchBrowser();
    // Each console takes a free port for its webhook listener.
    for (let i = 0; i < 2; i++) apps.push(await launchApp({ env: { POSTSCRIPT_CONSOLE_WEBHOOK_PORT: '0' } }));
  });
  afterAll(async () => {
    await browser?.close();
    for (const app of apps) await app.stop();
    await server?.close();
  });

  it('B sees the store A sets up appear in its list, with who set it up, without reloading', async () => {
    const db = await server.createTeamDb();
    const { page: a } = await openApp(browser, apps[0]!);
    const { page: b } = await openApp(browser, apps[1]!);
    await new Navigation(a).go('Team');
    await new TeamPage(a).join({ url: db.agentUrl, name: 'Ana', passphrase: 'correct horse battery staple' });
    await new Navigation(b).go('Team');
    await new TeamPage(b).join({ url: db.agentUrl, name: 'Ben' });
    await expect.poll(() => new TeamPage(b).statusLine().textContent()).toContain('Team: connected');
    await new Navigation(b).go('Stores');
    const bStores = new StoresPage(b);
    expect(await bStores.storeItems().count()).toBe(0);

    // A sets a store up (through A's own app API; the wizard has its own tests).
    await a.evaluate(async () => {
      const api = (globalThis as unknown as { postscriptConsole: Record<string, Record<string, (i: unknown) => Promise<{ ok: boolean }>>> }).postscriptConsole;
      const r = await api.stores!.create!({ name: 'Acme Coffee', shopDomain: 'acme-coffee-team', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
      if (!r.ok) throw new Error('store not created');
    });

    const item = bStores.storeItems().filter({ hasText: 'Acme Coffee' });
    await item.waitFor({ timeout: 5000 });
    await expect.poll(() => item.getByTestId('store-team').textContent()).toContain('set up by Ana');
    // B can narrow the list to its own stores.
    await b.getByTestId('stores-mine').check();
    await expect.poll(() => bStores.storeItems().count()).toBe(0);
  });
});
