/**
 * Entry point of the browser shell: the same main-process services as Electron, in Node, with the
 * renderer served on 127.0.0.1 behind a per-launch token and opened in Chromium when one is found.
 *   node out/main/browser-shell.js [--port <n>] [--host 127.0.0.1] [--no-open] [--restore-backup newest|<name>]
 * A second copy on the same data directory says where the first one runs and exits, touching nothing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { installLastResortHandlers } from './app/lastResort';
import { createCore, type Core } from './app/core';
import { restoreBeforeStart } from './app/damagedStart';
import { DataDirLock } from './app/dataDir';
import { parseArgs } from './config/args';
import { resolveDataDir } from './config/paths';
import { FaultLog } from './logs/faultLog';
import { KeyFileSecretBox } from './secrets/secretBox';
import { startBrowserShell } from './shells/browser/server';

function findChromium(): string | null {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ];
  return candidates.find((c) => c !== undefined && c !== '' && fs.existsSync(c)) ?? null;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { port: 'number', host: 'string', 'no-open': 'boolean', browser: 'boolean', 'restore-backup': 'string' });
  const host = typeof args.host === 'string' ? args.host : '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost') {
    process.stderr.write(`Warning: listening on ${host}; anyone who can reach it and has the token can use this app.\n`);
  }
  const dataDir = resolveDataDir();
  // Before anything reads or writes the directory (the secret key file included): ours alone, or we leave.
  const lock = DataDirLock.acquire(dataDir);
  const faults = new FaultLog(dataDir);
  let core: Core | null = null;
  installLastResortHandlers(faults, () => core?.bus ?? null);
  const restore = args['restore-backup'];
  if (typeof restore === 'string') {
    try {
      const { restored, keptAt, lacking, reportFile } = restoreBeforeStart(dataDir, restore);
      process.stdout.write(
        `Restored ${restored.name} (taken ${restored.createdAt}). The damaged database was kept at ${keptAt}.\n` +
          `The backup lacks ${lacking}; listed in ${reportFile}.\n`,
      );
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  core = await createCore({ dataDir, secrets: new KeyFileSecretBox(dataDir), faults, lock });
  const outDir = path.resolve(__dirname, '..');
  const shell = await startBrowserShell({
    core,
    rendererDir: path.join(outDir, 'renderer'),
    bridgeFile: path.join(outDir, 'preload', 'bridge.js'),
    port: typeof args.port === 'number' ? args.port : 0,
    host,
    onFault: (where, err) => faults.record(where, err),
  });
  // A second launch on this directory reads this and points the agent here.
  lock.setUrl(shell.launchUrl);
  process.stdout.write(`Postscript Console (browser shell) is running at ${shell.launchUrl}\n`);
  const listener = core.ctx.listener.status();
  process.stdout.write(`Webhook listener: ${listener.url ?? 'not running'}${listener.note !== null ? ` (${listener.note})` : ''}\n`);
  process.stdout.write(`Data directory: ${dataDir}\nSandbox (Postscript-compatible API): ${core.ctx.sandbox.url ?? 'not running'}\n`);

  let browser: ReturnType<typeof spawn> | null = null;
  if (args['no-open'] !== true) {
    const chromium = findChromium();
    if (chromium === null) {
      process.stdout.write('No Chromium or Chrome found: open the URL above in your browser.\n');
    } else {
      const profile = path.join(dataDir, 'browser-shell-profile');
      browser = spawn(chromium, [`--app=${shell.launchUrl}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], {
        stdio: 'ignore',
      });
      browser.on('error', () => process.stdout.write(`Could not start ${chromium}: open the URL above in your browser.\n`));
    }
  }

  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    browser?.kill();
    void shell
      .close()
      .then(() => core?.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Postscript Console could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
