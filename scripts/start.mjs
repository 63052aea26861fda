#!/usr/bin/env node
/**
 * `npm start`: launches the Electron shell when an Electron binary can be had, otherwise says why in
 * one line and starts the browser shell (same services, same renderer, on 127.0.0.1).
 *
 *   npm start                                   Electron if possible, else browser shell
 *   npm start -- --browser --port <n> --no-open browser shell only; prints its URL (with token)
 *
 * Environment: POSTSCRIPT_CONSOLE_DATA_DIR picks the data directory.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureElectronSqliteBinding, probeElectron, ROOT as root } from './electron.mjs';
import { ensureBuilt } from './ensure-built.mjs';

const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser');

function run(cmd, cmdArgs, env) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startBrowserShell() {
  const passthrough = args.filter((a) => a !== '--browser');
  run(process.execPath, [path.join(root, 'out/main/browser-shell.js'), ...passthrough], {});
}

ensureBuilt();
if (forceBrowser) {
  startBrowserShell();
} else {
  const electron = probeElectron();
  const binding = electron.ok ? ensureElectronSqliteBinding() : null;
  if (electron.ok && binding !== null) {
    run(electron.binary, [path.join(root, 'out/main/index.js')], { PSC_SQLITE_BINDING: binding });
  } else {
    const reason = electron.ok ? 'better-sqlite3 could not be built for Electron' : `Electron is not available on this machine (${electron.reason})`;
    process.stdout.write(`${reason}: starting the browser shell instead.\n`);
    startBrowserShell();
  }
}
