/**
 * Two browser shells in one team: B's stores list gains A's new store without a reload; B may take
 * over A's failed sends, after saying how many.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { chromiumAvailable, launchApp, launchBrowser, openApp, type RunningApp } from './launch';
import { BatchesPage, Navigation, StoresPage } from './pages/ConsolePage';
import { TeamPage } from './pages/TeamPage';

const skip = !chromiumAvailable();

/** A team database, Chromium and two consoles (pushed into `apps`) for one describe block. */
function twoConsoles(apps: RunningApp[], use: (browser: Browser, server: TestPostgres) => void): void {
  let browser: Browser | undefined;
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    browser = await launchBrowser();
    // Each console takes a free port for its webhook listener.
    for (let i = 0; i < 2; i++) apps.push(await launchApp({ env: { POSTSCRIPT_CONSOLE_WEBHOOK_PORT: '0' } }));
    use(browser, server);
  });
  afterAll(async () => {
    await browser?.close();
    for (const app of apps) await app.stop();
    await server?.close();
  });
}

describe.skipIf(skip)('team mode in two consoles', () => {
  let browser!: Browser;
  let server!: TestPostgres;
  const apps: RunningApp[] = [];
  twoConsoles(apps, (b, s) => {
    browser = b;
    server = s;
  });

  it('B sees the store A sets up appear in its list, with who set it up, without reloading', async () => {
    const db = await server.createTeamDb();
    const { page: a } = await openApp(browser, apps[0]!);
    const { page: b } = await openApp(browser, apps[1]!);
    await new Navigation(a).go('Team');
    await new TeamPage(a).join({ url: await db.agentUrlFor('Ana'), name: 'Ana', passphrase: 'correct horse battery staple' });
    await new Navigation(b).go('Team');
    const benUrl = await db.agentUrlFor('Ben');
    await new TeamPage(b).join({ url: benUrl, name: 'Ben' });
    await expect.poll(() => new TeamPage(b).statusLine().textContent()).toContain('Team: connected');
    // A wrong passphrase is said as an error, not in the words' plain style.
    await b.getByTestId('team-passphrase').fill('wrong horse');
    await b.getByTestId('team-unlock').click();
    const refused = b.getByTestId('team-unlock-note');
    await expect.poll(() => refused.textContent()).toMatch(/^That is not your team’s passphrase/);
    expect(await refused.getAttribute('role')).toBe('alert');
    // A mistyped address is not another team: nothing is asked, the console is offline until the
    // address is corrected, then it is the same team again (the database says which team it holds).
    const asked: string[] = [];
    b.on('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await b.getByTestId('team-url').fill(benUrl.replace(/:(\d+)\//, ':1/'));
    await b.getByTestId('team-connect').click();
    await expect.poll(() => new TeamPage(b).statusLine().getAttribute('data-state')).toBe('offline');
    await b.getByTestId('team-url').fill(benUrl);
    await b.getByTestId('team-connect').click();
    await expect.poll(() => new TeamPage(b).statusLine().getAttribute('data-state')).toBe('connected');
    // Once connected, the save's note says so (not "Connecting…" for ever).
    await expect.poll(() => b.getByTestId('team-connect-note').textContent()).toBe('Saved and connected.');
    // An address that is no PostgreSQL database is refused in words, in place of the status banner.
    await b.getByTestId('team-url').fill('mysql://ben:pw@db.example.com/team');
    await b.getByTestId('team-connect').click();
    await expect.poll(() => b.getByTestId('team-connect-refused').textContent()).toMatch(/^The team database URL starts with postgres:\/\//);
    expect(await b.getByTestId('team-status-card').count()).toBe(0);
    await b.getByTestId('team-url').fill(benUrl);
    await b.getByTestId('team-status-card').waitFor();
    expect(asked).toEqual([]);
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

/** Calls the app's API from inside the page, as the renderer does (for setup the UI has its own tests for). */
async function call(page: Page, area: string, method: string, input: unknown): Promise<unknown> {
  return page.evaluate(
    async ([a, m, i]) => {
      const api = (globalThis as unknown as { postscriptConsole: Record<string, Record<string, (x: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>>> }).postscriptConsole;
      const r = await api[a as string]![m as string]!(i);
      if (!r.ok) throw new Error(r.error?.message ?? 'failed');
      return r.value;
    },
    [area, method, input] as const,
  );
}

describe.skipIf(skip)('a teammate’s failed batch', () => {
  let browser!: Browser;
  let server!: TestPostgres;
  const apps: RunningApp[] = [];
  twoConsoles(apps, (b, s) => {
    browser = b;
    server = s;
  });

  it('B’s re-run button says it re-sends from B’s console, asks with the count, queues nothing when declined, takes the failure over when accepted, and refuses a second take-over saying who re-sent it and when', async () => {
    const db = await server.createTeamDb();
    const { page: a } = await openApp(browser, apps[0]!);
    const { page: b } = await openApp(browser, apps[1]!);
    await new Navigation(a).go('Team');
    // Both unlock the team key, so Ben's console can read the key Ana shares (a locked one is refused before sending).
    await new TeamPage(a).join({ url: await db.agentUrlFor('Ana'), name: 'Ana', passphrase: 'correct horse battery staple' });
    await new Navigation(b).go('Team');
    const benUrl = await db.agentUrlFor('Ben');
    await new TeamPage(b).join({ url: benUrl, name: 'Ben', passphrase: 'correct horse battery staple' });
    // Ana's batch fails: a phone Postscript does not know. The demo shop's key works in every console's Sandbox.
    const store = (await call(a, 'stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee-rerun', account: 'sandbox', testPhone: '+15555550199', credential: { kind: 'paste', apiKey: 'sk_sandbox_demo_4f9c2a7e1b3d5c8a' } })) as { id: string };
    await call(a, 'triggers', 'set', { storeId: store.id, eventKey: 'subscription_created', enabled: true });
    await call(a, 'batches', 'create', { name: 'Morning run', stores: { kind: 'all' }, events: { kind: 'enabled' } });

    await new Navigation(b).go('Batches');
    const batches = new BatchesPage(b);
    const rerun = batches.batch('Morning run').getByTestId('rerun-batch');
    await rerun.waitFor({ timeout: 15_000 });
    expect(await rerun.textContent()).toBe('Re-send 1 failed from my console');
    expect(await rerun.getAttribute('title')).toBe('Only Ana’s console sends this batch. This takes its 1 failed event over as new sends of yours.');
    const asked: string[] = [];
    b.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await rerun.click();
    await expect.poll(() => asked).toEqual([expect.stringMatching(/^Re-send the 1 failed event of Ana’s batch from your console\? This makes 1 new send to Postscript/)]);
    expect(await b.getByTestId('batch').count()).toBe(1);
    b.once('dialog', (d) => void d.accept());
    await rerun.click();
    await batches.batch('Re-run of Morning run (taken over from Ana)').waitFor({ timeout: 5000 });
    // A second take-over is refused by the team database's claim, and the card says who re-sent it and when.
    const original = b.getByTestId('batch').filter({ has: b.getByRole('heading', { name: 'Morning run', exact: true }) });
    b.once('dialog', (d) => void d.accept());
    await original.getByTestId('rerun-batch').click();
    const refused = original.getByRole('alert');
    await expect.poll(() => refused.textContent(), { timeout: 10_000 }).toMatch(/^Not re-sent: This failed event was already re-sent by you on .+\. A failed send is re-sent once for the whole team, so nothing was queued\.$/);
    expect(await b.getByTestId('batch').count()).toBe(2);
  });
});
