/**
 * The Electron shell's main, started against the stand-in `electron` module (vitest.config.ts
 * aliases it for this project), held to Electron's security checklist item by item. Each test
 * fails when its item is removed from the shell; for instance, deleting
 * `denyAllPermissions(session.defaultSession)` from shells/electron/main.ts fails "answers every
 * permission request and check with deny" (the main window's session then has no handler),
 * deleting the `will-attach-webview` guard fails "refuses to attach a webview", and dropping the
 * CSP header from appScheme.ts fails "sends the CSP header on every answer".
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CSP } from '../../src-main/readiness/reportHtml';
import { APP_SCHEME, INDEX_URL, RENDERER_CSP, serveDirectory } from '../../src-main/shells/electron/appScheme';
import { chooseSecretBox, KEYCHAIN_SCHEME, WRAPPED_KEY_FILE } from '../../src-main/shells/electron/keychainBox';
import { printHtmlToPdf } from '../../src-main/shells/electron/printToPdf';
import { safeStorageKeychain } from '../../src-main/shells/electron/safeStorageKeychain';
import { KeyFileSecretBox } from '../../src-main/secrets/secretBox';
import { app, BrowserWindow, recorded, safeStorageState, session, type StandInSession } from '../helpers/electronStandIn';
import { makeTempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/waitFor';

const tmp = makeTempDir('psc-electron-standin-');
const ipcEvent = (url: string, parent: object | null = null): object => ({ senderFrame: { url, parent } });
const PERMISSIONS = ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'openExternal'];

function mainWindow(): BrowserWindow {
  const w = recorded.windows[0];
  if (w === undefined) throw new Error('the shell made no window');
  return w;
}

async function permissionAnswers(s: StandInSession): Promise<{ requested: boolean[]; checked: boolean[] }> {
  const request = s.permissionRequestHandler;
  const check = s.permissionCheckHandler;
  if (request === null || check === null) throw new Error(`session "${s.partition}" has no permission handlers`);
  const requested = await Promise.all(PERMISSIONS.map((p) => new Promise<boolean>((resolve) => request({}, p, resolve, {}))));
  const checked = PERMISSIONS.map((p) => check({}, p, 'postscript-console://app', {}));
  return { requested, checked };
}

beforeAll(async () => {
  process.env.POSTSCRIPT_CONSOLE_DATA_DIR = tmp.dir;
  process.env.POSTSCRIPT_CONSOLE_WEBHOOK_PORT = '0';
  // A Linux desktop without a Secret Service: Chromium's safeStorage would use its built-in password.
  safeStorageState.backend = 'basic_text';
  await import('../../src-main/shells/electron/main');
  app.becomeReady();
  await waitFor(() => recorded.windows[0]?.webContents.loads.length ?? 0, (n) => n > 0, 15_000);
});

afterAll(async () => {
  app.quit(); // will-quit: the shell closes its core, then exits
  await waitFor(() => recorded.exitCodes.length, (n) => n > 0, 15_000);
  tmp.cleanup();
});

describe('Electron shell against the security checklist (stand-in electron module)', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security, no webview tag', () => {
    expect(mainWindow().options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it('serves the renderer from its own privileged scheme, not file://', () => {
    expect(recorded.privilegedSchemes).toEqual([{ scheme: APP_SCHEME, privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }) }]);
    expect(mainWindow().webContents.loads.map((l) => l.url)).toEqual([INDEX_URL]);
  });

  it('sends the CSP header on every answer of the custom protocol, refusals included', async () => {
    const urls = [INDEX_URL, `${APP_SCHEME}://app/assets/missing.js`, `${APP_SCHEME}://app/..%2f..%2fpackage.json`, `${APP_SCHEME}://elsewhere/index.html`];
    const answers = await Promise.all(urls.map((u) => session.defaultSession.protocol.request(u)));
    answers.push(await session.defaultSession.protocol.request(INDEX_URL, { method: 'POST', body: '{}' }));
    for (const r of answers) expect(r?.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    // Nothing outside the renderer's directory, nothing for another host or method.
    expect(answers.slice(2).map((r) => r?.status)).toEqual([404, 403, 405]);
  });

  it('serves files of the renderer directory with their type, and none outside it', async () => {
    const dir = path.join(tmp.dir, 'renderer-out');
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'void 0;');
    fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'outside');
    fs.symlinkSync(path.join(tmp.dir, 'secret.txt'), path.join(dir, 'assets', 'link.txt'));
    const serve = serveDirectory(dir, RENDERER_CSP);
    const index = await serve(new Request(`${APP_SCHEME}://app/`));
    expect([index.status, index.headers.get('content-type'), await index.text()]).toEqual([200, 'text/html; charset=utf-8', '<!doctype html><title>x</title>']);
    expect((await serve(new Request(`${APP_SCHEME}://app/assets/app.js`))).headers.get('content-security-policy')).toBe(RENDERER_CSP);
    for (const p of ['/..%2fsecret.txt', '/assets/link.txt', '/%2e%2e/secret.txt']) {
      const r = await serve(new Request(`${APP_SCHEME}://app${p}`));
      expect([p, r.status]).toEqual([p, 404]);
    }
  });

  it('answers every permission request and check with deny, in every session (fails if main.ts drops denyAllPermissions(session.defaultSession))', async () => {
    expect(await permissionAnswers(session.defaultSession)).toEqual({ requested: PERMISSIONS.map(() => false), checked: PERMISSIONS.map(() => false) });
    // A session made later (any partition) gets the same handlers as it is created.
    expect(await permissionAnswers(session.fromPartition('later'))).toEqual({ requested: PERMISSIONS.map(() => false), checked: PERMISSIONS.map(() => false) });
  });

  it('prevents navigation away from the app, and opens allowed https links in the browser instead', () => {
    const wc = mainWindow().webContents;
    expect(wc.navigate('https://evil.example/phish')).toBe(false);
    expect(wc.navigate('file:///etc/passwd')).toBe(false);
    expect(wc.frameNavigate('https://evil.example/frame')).toBe(false);
    expect(wc.navigate(`${INDEX_URL}?reload`)).toBe(true);
    expect(wc.navigate('https://help.postscript.io/article')).toBe(false);
    expect(wc.navigate('http://help.postscript.io/plain-http')).toBe(false);
    expect(recorded.openedExternally).toEqual(['https://help.postscript.io/article']);
  });

  it('denies every new window; an allowed link opens outside, nothing else does', () => {
    const wc = mainWindow().webContents;
    expect(wc.openWindow('https://evil.example/')).toBe('deny');
    expect(wc.openWindow('https://app.postscript.io/settings')).toBe('deny');
    expect(wc.openWindow('smb://share/file')).toBe('deny');
    expect(recorded.openedExternally.slice(-1)).toEqual(['https://app.postscript.io/settings']);
  });

  it('refuses to attach a webview', () => {
    expect(mainWindow().webContents.attachWebview('https://evil.example/')).toBe(false);
  });

  it('guards a web contents made later the same way', () => {
    const later = new BrowserWindow({});
    expect(later.webContents.navigate('https://evil.example/')).toBe(false);
    expect(later.webContents.openWindow('https://evil.example/')).toBe('deny');
    expect(later.webContents.attachWebview('about:blank')).toBe(false);
  });

  it('answers IPC only from the top frame of its own origin', async () => {
    const handler = recorded.ipcHandlers.get('app:info');
    if (handler === undefined) throw new Error('app:info is not bound');
    const refused = { ok: false, error: { code: 'internal', message: 'Refused: request from an untrusted frame.' } };
    expect(await handler(ipcEvent('https://evil.example/'), {})).toEqual(refused);
    expect(await handler(ipcEvent(`file://${tmp.dir}/index.html`), {})).toEqual(refused);
    expect(await handler(ipcEvent(`${INDEX_URL}#/log`, {}), {})).toEqual(refused); // a subframe
    expect(await handler({ senderFrame: null }, {})).toEqual(refused);
    expect(await handler(ipcEvent(`${INDEX_URL}#/stores`), {})).toMatchObject({ ok: true });
  });

  it('prints a report from its own scheme, in its own session that fetches nothing else, with the report CSP', async () => {
    const html = path.join(tmp.dir, 'report.html');
    fs.writeFileSync(html, '<!doctype html><p>report</p>');
    const pdf = await printHtmlToPdf(html);
    expect(pdf.toString()).toBe('%PDF-stand-in');
    const printer = recorded.windows.at(-1)!;
    expect(printer.options.webPreferences).toMatchObject({ javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false });
    const [load] = printer.webContents.loads;
    expect(load?.url).toMatch(new RegExp(`^${APP_SCHEME}://report/`));
    expect([load?.response?.status, load?.response?.headers.get('content-security-policy'), await load?.response?.text()]).toEqual([200, REPORT_CSP, '<!doctype html><p>report</p>']);
    const printSession = printer.webContents.session;
    // Its one-time URL is gone with the window; any other request is cancelled.
    expect((await printSession.protocol.request(load!.url))?.status).toBe(404);
    let cancelled: boolean | undefined;
    printSession.beforeRequest?.({ url: 'https://evil.example/pixel.png' }, (r: { cancel: boolean }) => (cancelled = r.cancel));
    expect(cancelled).toBe(true);
    expect(await permissionAnswers(printSession)).toEqual({ requested: PERMISSIONS.map(() => false), checked: PERMISSIONS.map(() => false) });
    expect(printer.webContents.navigate('https://evil.example/')).toBe(false);
  });
});

describe('keys on Linux without a keychain (safeStorage basic_text)', () => {
  it('keeps using the app’s own 0600 key file and tells the agent, in the window once its page calls', async () => {
    expect(fs.existsSync(path.join(tmp.dir, WRAPPED_KEY_FILE))).toBe(false);
    expect(fs.statSync(path.join(tmp.dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const handler = recorded.ipcHandlers.get('app:info')!;
    await handler(ipcEvent(INDEX_URL), {});
    await handler(ipcEvent(INDEX_URL), {});
    const alerts = (): string[] =>
      mainWindow()
        .webContents.sent.filter(([, name]) => name === 'alert')
        .map(([, , payload]) => (payload as { message: string }).message);
    await waitFor(() => alerts().length, (n) => n > 0, 5_000);
    expect(alerts()).toEqual([expect.stringContaining('No keychain was found on this Linux desktop')]);
    expect(alerts()[0]).toContain(path.join(tmp.dir, 'secret.key'));
  });

  it('with a keychain, wraps its own key there, reads it again after a restart, and still reads key-file secrets', async () => {
    const dir = makeTempDir('psc-keychain-');
    try {
      const fromKeyFile = new KeyFileSecretBox(dir.dir).encrypt('sk_from_browser_shell');
      safeStorageState.backend = 'gnome_libsecret';
      const first = await chooseSecretBox(safeStorageKeychain(), dir.dir);
      expect([first.where, first.notice, first.box.scheme]).toEqual(['keychain', null, KEYCHAIN_SCHEME]);
      expect(fs.statSync(path.join(dir.dir, WRAPPED_KEY_FILE)).mode & 0o777).toBe(0o600);
      const saved = first.box.encrypt('sk_live_abcdef');
      const again = await chooseSecretBox(safeStorageKeychain(), dir.dir);
      expect(again.box.decrypt(KEYCHAIN_SCHEME, saved)).toBe('sk_live_abcdef');
      expect(again.box.decrypt('keyfile-aes256gcm', fromKeyFile)).toBe('sk_from_browser_shell');
      // The same directory on a desktop without a keychain: the key file, and it says why.
      safeStorageState.backend = 'basic_text';
      const without = await chooseSecretBox(safeStorageKeychain(), dir.dir);
      expect([without.where, without.box.scheme]).toEqual(['key-file', 'keyfile-aes256gcm']);
      expect(without.notice).toContain('No keychain was found');
    } finally {
      dir.cleanup();
    }
  });
});
