/**
 * Starts the app the way a user does (`npm start`'s script) with a fresh data directory, and a
 * headless Debian Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { makeTempDir } from '../helpers/tmp';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '../..');

export interface RunningApp {
  url: string;
  sandboxUrl: string;
  dataDir: string;
  stdout: () => string;
  stop(): Promise<void>;
}

/** `root` runs another checkout of the app (the renderer benchmark's baseline); this one by default. */
export async function launchApp(options: { args?: string[]; env?: Record<string, string>; dataDir?: string; root?: string } = {}): Promise<RunningApp> {
  // A given data directory outlives this launch (for restart tests); a fresh one is removed on stop.
  const tmp = options.dataDir === undefined ? makeTempDir('psc-e2e-') : { dir: options.dataDir, cleanup: () => undefined };
  const args = options.args ?? ['--browser', '--port', '0', '--no-open'];
  const root = options.root ?? ROOT;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, POSTSCRIPT_CONSOLE_DATA_DIR: tmp.dir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 60_000;
  while (!/running at (http:\S+)/.test(out) || !/Sandbox \(Postscript-compatible API\): (http:\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`The app exited early:\n${out}`);
    if (Date.now() > deadline) throw new Error(`The app did not start in time:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: /running at (http:\S+)/.exec(out)![1]!,
    sandboxUrl: /Sandbox \(Postscript-compatible API\): (http:\S+)/.exec(out)![1]!,
    dataDir: tmp.dir,
    stdout: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      tmp.cleanup();
    },
  };
}

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens the app at 1280×800 and records every answer the app sent to the renderer. */
export async function openApp(browser: Browser, app: RunningApp): Promise<{ page: Page; received: string[] }> {
  // A page of its own context, so axe (pages/axe.ts) can check it.
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const received: string[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/__ipc/')) void res.text().then((t) => received.push(t), () => undefined);
  });
  page.on('pageerror', (err) => received.push(`pageerror: ${err.message}`));
  await page.goto(app.url);
  await page.locator('[data-testid="app"][data-ready="true"]').waitFor();
  return { page, received };
}

/** True when nothing in the page scrolls sideways (the window and each pane). */
export async function fitsWidth(page: Page): Promise<{ ok: boolean; offenders: string[] }> {
  const offenders = await page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`document ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.content, .list-pane, .detail-pane, .card'))) {
      const style = getComputedStyle(el);
      if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) out.push(`${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  });
  return { ok: offenders.length === 0, offenders };
}

/**
 * One app (fresh data directory) and one Chromium for a whole describe block: started before its
 * tests, stopped after them. `use` receives both once they are up.
 */
export function withAppAndBrowser(use: (browser: Browser, app: RunningApp) => void, options?: Parameters<typeof launchApp>[0]): void {
  let browser: Browser | undefined;
  let app: RunningApp | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    app = await launchApp(options);
    use(browser, app);
  });
  afterAll(async () => {
    await app?.stop();
    await browser?.close();
  });
}
