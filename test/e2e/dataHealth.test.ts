/**
 * A damaged database as an agent meets it: the app starts, a banner says the database is damaged
 * (naming the file) and that sending stopped, the Data health screen lists the backups, and the
 * newest good one restores; the stores come back and the banner goes.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';
import { chromiumAvailable, launchApp, launchBrowser, openApp, type RunningApp } from './launch';
import { DataHealthPage } from './pages/DataHealthPage';

const available = chromiumAvailable();
if (!available) console.warn('Skipping the Data health E2E test: no Chromium (apt-get install chromium).');

describe.skipIf(!available)('a damaged database, from the banner to a restore', () => {
  let browser: Browser;
  let app: RunningApp | null = null;
  const tmp = makeTempDir('psc-e2e-damaged-');
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await app?.stop();
    await browser?.close();
    tmp.cleanup();
  });

  it('says it plainly and restores the newest good backup', async () => {
    const c = await startCore({ dir: tmp.dir });
    await c.ok('stores', 'create', { name: 'Kept Shop', shopDomain: 'kept-shop', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    // No "Back up now": the first backup is taken by itself once the database holds a store.
    await expect.poll(() => c.core.ctx.backups.list().length).toBe(1);
    await c.close();
    const file = path.join(tmp.dir, 'console.sqlite3');
    const db = new Database(file, { readonly: true });
    const root = (db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'stores'`).get() as { rootpage: number }).rootpage;
    db.close();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, (root - 1) * 4096);
    fs.closeSync(fd);

    app = await launchApp({ dataDir: tmp.dir });
    const { page } = await openApp(browser, app);
    const health = new DataHealthPage(page);
    await health.banner().waitFor();
    expect(await health.banner().textContent()).toContain(`The database is damaged: ${file}`);
    await health.openFromBanner();
    expect(await health.backupRows().count()).toBe(1);
    expect(await health.restoreNewest()).toMatch(/^Restored console-/);
    await expect.poll(() => health.state().textContent()).toContain('Sound');
    await health.banner().waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Stores' }).click();
    await page.getByTestId('store-item').filter({ hasText: 'Kept Shop' }).waitFor();
  });
});
