/**
 * The same thin path in the Electron shell. Runs only where an Electron binary can be had (users'
 * and developers' machines with network); elsewhere it is skipped and says why.
 */
import path from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureElectronSqliteBinding, probeElectron, ROOT } from '../../scripts/electron.mjs';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { contract } from '../../src-shared/ipc/contract';
import { makeTempDir } from '../helpers/tmp';
import { StoresPage } from './pages/ConsolePage';

const electron = probeElectron();
const binding = electron.ok ? ensureElectronSqliteBinding() : null;
const skipReason = !electron.ok ? `no Electron binary (${electron.reason})` : binding === null ? 'better-sqlite3 could not be built for Electron' : null;
if (skipReason !== null) console.warn(`Skipping the Electron spec: ${skipReason}. The browser-shell specs cover the same path.`);

describe.skipIf(skipReason !== null)('Electron shell', () => {
  let app: ElectronApplication;
  const tmp = makeTempDir('psc-electron-');
  beforeAll(async () => {
    if (!electron.ok || binding === null) return;
    app = await _electron.launch({
      executablePath: electron.binary,
      args: [path.join(ROOT, 'out/main/index.js'), ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
      env: { ...process.env, POSTSCRIPT_CONSOLE_DATA_DIR: tmp.dir, PSC_SQLITE_BINDING: binding },
    });
  });
  afterAll(async () => {
    await app?.close();
    tmp.cleanup();
  });

  it('isolates the renderer: no Node, only the named API', async () => {
    const page = await app.firstWindow();
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor();
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      api: Object.keys((globalThis as unknown as { postscriptConsole: object }).postscriptConsole).sort(),
    }));
    expect(globals.require).toBe('undefined');
    expect(globals.process).toBe('undefined');
    // Every area of the contract, one object each, plus on(): derived, so a new area cannot make it stale.
    expect(globals.api).toEqual([...Object.keys(contract), 'on'].sort());
  });

  it('adds a store against the Sandbox and sends a test event', async () => {
    const page = await app.firstWindow();
    const stores = new StoresPage(page);
    const form = await stores.openAddStore();
    await form.fill({ name: 'Acme Coffee', domain: 'acme-coffee', apiKey: DEMO_PRIVATE_KEY });
    await form.submit();
    const detail = await stores.openStore('Acme Coffee');
    await expect.poll(() => detail.shopName().textContent()).toBe('Demo Coffee Co');
    await detail.quickSetup('subscription_renewed');
    await detail.sendTest('subscription_renewed');
    await detail.deliveryRows().first().waitFor();
    expect(await detail.deliveryRows().first().getByTestId('delivery-outcome').textContent()).toBe('delivered');
  });
});
