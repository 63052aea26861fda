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
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser');

function ensureBuilt() {
  const needed = ['out/main/index.js', 'out/main/browser-shell.js', 'out/preload/index.js', 'out/preload/bridge.js', 'out/renderer/index.html'];
  if (needed.every((f) => fs.existsSync(path.join(root, f)))) return;
  process.stderr.write('Building the app (first run)…\n');
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    process.stderr.write('Build failed: run `npm run setup` and try again.\n');
    process.exit(1);
  }
}

/** Resolves the Electron binary in a child process, so a blocked download cannot hang or kill us. */
function electronBinary() {
  if (process.env.POSTSCRIPT_CONSOLE_NO_ELECTRON === '1') return { ok: false, reason: 'POSTSCRIPT_CONSOLE_NO_ELECTRON=1 is set' };
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const binary = probe.stdout?.trim();
  if (probe.status === 0 && binary && fs.existsSync(binary)) return { ok: true, binary };
  const why = (probe.stderr || '').split('\n').find((l) => /error|fail|ENOTFOUND|ECONN|timed out/i.test(l)) ?? 'the download did not complete';
  return { ok: false, reason: probe.error?.code === 'ETIMEDOUT' ? 'the download timed out' : why.trim().slice(0, 160) };
}

/**
 * Electron has its own Node ABI. Instead of rebuilding better-sqlite3 in place (which would break
 * the Node build the browser shell and tests use), build a second copy for Electron once, under
 * .electron-abi/, and point the main process at it.
 */
function electronSqliteBinding(binary) {
  const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const dir = path.join(root, '.electron-abi', version);
  const binding = path.join(dir, 'better-sqlite3/build/Release/better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;
  process.stderr.write(`Building better-sqlite3 for Electron ${version} (one time, about a minute)…\n`);
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(root, 'node_modules/better-sqlite3'), path.join(dir, 'better-sqlite3'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}build${path.sep}`),
  });
  const gyp = spawnSync(
    'npm',
    ['exec', '--yes', '--', 'node-gyp', 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: path.join(dir, 'better-sqlite3'), stdio: 'inherit', shell: process.platform === 'win32' },
  );
  if (gyp.status !== 0 || !fs.existsSync(binding)) {
    void binary;
    return null;
  }
  return binding;
}

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
  const electron = electronBinary();
  const binding = electron.ok ? electronSqliteBinding(electron.binary) : null;
  if (electron.ok && binding !== null) {
    run(electron.binary, [path.join(root, 'out/main/index.js')], { PSC_SQLITE_BINDING: binding });
  } else {
    const reason = electron.ok ? 'better-sqlite3 could not be built for Electron' : `Electron is not available here (${electron.reason})`;
    process.stdout.write(`${reason}: starting the browser shell instead.\n`);
    startBrowserShell();
  }
}
