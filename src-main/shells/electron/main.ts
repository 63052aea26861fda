/**
 * Electron shell: one window, sandboxed renderer (contextIsolation on, nodeIntegration off) served
 * from the app's own scheme with its CSP as a header, the shared core bound to ipcMain. Every
 * session denies permissions and every web contents is guarded (guards.ts); the key that encrypts
 * secrets is kept by the OS keychain, or the app's own key file where there is none (keychainBox.ts).
 * The checklist and where each item is met: docs/architecture.md, "The Electron shell's security".
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, protocol, session, shell } from 'electron';
import { createCore, type Core, type CoreOptions } from '../../app/core';
import { DamagedDatabaseError, restoreBeforeStart } from '../../app/damagedStart';
import { DataDirError, DataDirLock } from '../../app/dataDir';
import { installLastResortHandlers } from '../../app/lastResort';
import { APP_NAME, resolveDataDir } from '../../config/paths';
import { FaultLog } from '../../logs/faultLog';
import { proxyFromPacResult } from '../../network/proxyChoice';
import { APP_HOST, APP_SCHEME, APP_SCHEME_PRIVILEGES, INDEX_URL, RENDERER_CSP, serveDirectory } from './appScheme';
import { denyAllPermissions, guardAllWebContents, isTrustedSender } from './guards';
import { electronFileActions } from './fileActions';
import { bindIpc, forwardPushEvents } from './ipc';
import { chooseSecretBox } from './keychainBox';
import { notifyDesktop } from './notify';
import { printHtmlToPdf, REPORT_HOST } from './printToPdf';
import { legacySafeStorageReader, safeStorageKeychain } from './safeStorageKeychain';

app.setName(APP_NAME);
const dataDir = resolveDataDir(() => app.getPath('userData'));
app.setPath('userData', dataDir);

// One app per data directory. Electron's lock is keyed on userData (set just above); a second launch
// hands its arguments to the first, which comes to the front, and quits before touching anything.
const firstInstance = app.requestSingleInstanceLock();
if (!firstInstance) app.quit();

let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;
app.on('second-instance', () => {
  if (mainWindow === null) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
});
const faults = new FaultLog(dataDir);
// Recorded, told to the agent, and the app keeps running (see app/lastResort.ts).
installLastResortHandlers(faults, () => core?.bus ?? null, () => app.exit(70));

// Before the app is ready: the scheme's privileges, and the rules for every session and web
// contents made from now on (the printing window's too).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.on('session-created', denyAllPermissions);
guardAllWebContents(app, [APP_HOST, REPORT_HOST], (url) => void shell.openExternal(url));

/**
 * A database that cannot be opened at all: say which file, and offer the newest good backup in a
 * dialog (no window of the app could work without the database). True when a backup was restored.
 */
function offerRestore(err: DamagedDatabaseError, nativeBinding: string | undefined): boolean {
  if (err.backups.length === 0) {
    dialog.showErrorBox('Postscript Console: damaged database', err.message);
    return false;
  }
  const choice = dialog.showMessageBoxSync({
    type: 'error',
    title: 'Postscript Console: damaged database',
    message: `The database is damaged and cannot be opened: ${err.file}`,
    detail: `${err.detail}\n\nBackups: ${err.backups.map((b) => `${b.name} (${b.createdAt})`).join(', ')}.\nRestoring keeps the damaged file next to it, for support; sends the backup shows as waiting become “uncertain”.`,
    buttons: ['Restore the newest good backup', 'Quit'],
    defaultId: 0,
    cancelId: 1,
  });
  if (choice !== 0) return false;
  try {
    restoreBeforeStart(dataDir, 'newest', nativeBinding);
    return true;
  } catch (restoreErr) {
    dialog.showErrorBox('Postscript Console: restore failed', restoreErr instanceof Error ? restoreErr.message : String(restoreErr));
    return false;
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  // The built renderer (out/renderer, beside out/main), each answer with the CSP header.
  protocol.handle(APP_SCHEME, serveDirectory(path.join(__dirname, '../renderer'), RENDERER_CSP));
  let lock: DataDirLock;
  try {
    // Also held against a browser shell on the same directory, which Electron's lock does not see.
    lock = DataDirLock.acquire(dataDir);
  } catch (err) {
    if (err instanceof DataDirError) {
      dialog.showErrorBox('Postscript Console cannot start', err.message);
      app.exit(1);
      return;
    }
    throw err;
  }
  // The keychain when the OS has one (keys saved by the browser shell stay readable); the app's own
  // key file, said plainly, on a Linux desktop without one.
  const { box: secrets, notice: secretsNotice } = await chooseSecretBox(safeStorageKeychain(), dataDir, [legacySafeStorageReader()]);
  if (secretsNotice !== null) process.stdout.write(`Postscript Console: ${secretsNotice}\n`);
  const binding = process.env.PSC_SQLITE_BINDING;
  const nativeBinding = binding !== undefined && binding !== '' ? binding : undefined;
  const options: CoreOptions = {
    dataDir,
    secrets,
    faults,
    lock,
    printToPdf: printHtmlToPdf,
    fileActions: electronFileActions,
    notify: notifyDesktop,
    // The OS proxy (system settings, PAC, WPAD) as Chromium resolves it for the live base URL.
    resolveSystemProxy: async (url) => proxyFromPacResult(await session.defaultSession.resolveProxy(url)),
    ...(nativeBinding !== undefined ? { nativeBinding } : {}),
  };
  try {
    core = await createCore(options);
  } catch (err) {
    if (!(err instanceof DamagedDatabaseError)) throw err;
    // createCore released the lock when it failed: ours again before the restore touches the file.
    const again = DataDirLock.acquire(dataDir);
    // The dialog said what happened; quitting (or a failed restore) needs no second word.
    if (!offerRestore(err, nativeBinding)) {
      again.release();
      app.exit(1);
      return;
    }
    core = await createCore({ ...options, lock: again });
  }
  const listener = core.ctx.listener.status();
  process.stdout.write(`Postscript Console: data directory ${dataDir}; webhook listener ${listener.url ?? 'not running'}${listener.note !== null ? ` (${listener.note})` : ''}\n`);

  const window = (mainWindow = new BrowserWindow({
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
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  }));
  // The key-file notice goes to the window once its page first calls main: its listeners are set
  // up by then (a push sent while the page loads would reach no one).
  let noticePending = secretsNotice !== null;
  const bus = core.bus;
  bindIpc(core, (event) => {
    const trusted = isTrustedSender(event);
    if (trusted && noticePending && secretsNotice !== null) {
      noticePending = false;
      setTimeout(() => bus.emit('alert', { level: 'warning', message: secretsNotice, at: new Date().toISOString() }), 0);
    }
    return trusted;
  });
  forwardPushEvents(core, window);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(INDEX_URL);
}

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (core === null) return;
  event.preventDefault();
  const c = core;
  core = null;
  void c.close().finally(() => app.exit(0));
});

if (firstInstance) {
  start().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`Postscript Console could not start: ${message}\n`);
    // Read-only, damaged, in use: each message names the path and what to do; say it where the agent looks.
    if (app.isReady()) dialog.showErrorBox('Postscript Console could not start', message);
    app.exit(1);
  });
}
