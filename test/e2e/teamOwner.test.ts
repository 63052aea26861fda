/**
 * The owner's part of the Team screen: add an agent (their own URL shown once), remove one, rotate
 * the team key, and read which merchants' keys to rotate at Postscript. Accessible (axe).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { chromiumAvailable, launchApp, launchBrowser, openApp, type RunningApp } from './launch';
import { axeProblems } from './pages/axe';
import { Navigation } from './pages/ConsolePage';
import { TeamPage } from './pages/TeamPage';

describe.skipIf(!chromiumAvailable())('the team owner’s screen', () => {
  let browser: Browser | undefined;
  let server: TestPostgres | undefined;
  let app: RunningApp | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    browser = await launchBrowser();
    app = await launchApp({ env: { POSTSCRIPT_CONSOLE_WEBHOOK_PORT: '0' } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await server?.close();
  });

  it('adds an agent with a URL of their own, removes them, rotates the key and lists the keys to rotate at Postscript', async () => {
    const db = await server!.createTeamDb();
    const { page } = await openApp(browser!, app!);
    await new Navigation(page).go('Team');
    await new TeamPage(page).join({ url: db.ownerUrl, name: 'Lead', passphrase: 'correct horse battery staple' });
    await page.evaluate(async (apiKey) => {
      const api = (globalThis as unknown as { postscriptConsole: Record<string, Record<string, (i: unknown) => Promise<{ ok: boolean }>>> }).postscriptConsole;
      const r = await api.stores!.create!({ name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', credential: { kind: 'paste', apiKey } });
      if (!r.ok) throw new Error('store not created');
    }, DEMO_PRIVATE_KEY);
    const panel = page.getByTestId('team-owner');
    await panel.waitFor({ timeout: 20_000 });

    await page.getByTestId('team-owner-name').fill('Cara');
    await page.getByTestId('team-owner-add').click();
    await expect.poll(() => page.getByTestId('team-owner-handover').textContent()).toMatch(/Give Cara this URL .*postgres:\/\/psc_cara:[^@]+@/);
    expect(await axeProblems(page, 'Team (owner)')).toEqual([]);

    page.on('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Remove Cara' }).click();
    await expect.poll(() => page.getByTestId('team-owner-agents').textContent()).toMatch(/Cara.*removed/);

    await page.getByTestId('team-owner-passphrase').fill('a new passphrase for the rest of us');
    await page.getByTestId('team-owner-rotate').click();
    const rotation = page.getByTestId('team-owner-rotation');
    await expect.poll(() => rotation.textContent(), { timeout: 20_000 }).toContain('Old copies cannot be unread');
    expect(await page.getByTestId('team-owner-keys').textContent()).toContain('Acme Coffee');
    expect(await rotation.textContent()).toMatch(/Team key version 2: 1 shared secret encrypted again/);
  });
});
