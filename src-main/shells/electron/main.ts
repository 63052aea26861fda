/**
 * Electron shell: one window, sandboxed renderer (contextIsolation on, nodeIntegration off, CSP
 * in the page), the shared core bound to ipcMain. Secrets go to the OS keychain via safeStorage.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, safeStorage } from 'electron';
import { createCore, type Core } from '../../app/core';
import { installLastResortHandlers } from '../../app/lastResort';
import { APP_NAME, resolveDataDir } from '../../config/paths';
import { FaultLog } from '../../logs/faultLog';
import { ChainedSecretBox, KeyFileSecretBox } from '../../secrets/secretBox';
import { bindIpc, forwardPushEvents } from './ipc';
import { SafeStorageSecretBox } from './safeStorageBox';

app.setName(APP_NAME);
const dataDir = resolveDataDir(() => app.getPath('userData'));
app.setPath('userData', dataDir);

let core: Core | null = null;
const faults = new FaultLog(dataDir);
// Recorded, told to the agent, and the app keeps running (see app/lastResort.ts).
installLastResortHandlers(faults, () => core?.bus ?? null, () => app.exit(70));

async function start(): Promise<void> {
  await app.whenReady();
  const keyFile = new KeyFileSecretBox(dataDir);
  // safeStorage when the OS offers it; keys saved by the browser shell stay readable.
  const secrets = safeStorage.isEncryptionAvailable() ? new ChainedSecretBox(new SafeStorageSecretBox(), [keyFile]) : keyFile;
  const binding = process.env.PSC_SQLITE_BINDING;
  core = await createCore({ dataDir, secrets, faults, ...(binding !== undefined && binding !== '' ? { nativeBinding: binding } : {}) });

  const indexHtml = path.join(__dirname, '../renderer/index.html');
  const indexUrl = pathToFileURL(indexHtml).toString();
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: APP_NAME,
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  bindIpc(core, (event) => event.senderFrame?.url === indexUrl);
  forwardPushEvents(core, window);
  // The window shows our page only: no navigation away, no new windows.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.once('ready-to-show', () => window.show());
  await window.loadFile(indexHtml);
}

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (core === null) return;
  event.preventDefault();
  const c = core;
  core = null;
  void c.close().finally(() => app.exit(0));
});

start().catch((err: unknown) => {
  process.stderr.write(`Postscript Console could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  app.exit(1);
});
