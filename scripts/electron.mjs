/**
 * Electron helpers shared by `npm start` and the Electron E2E spec.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Resolves the Electron binary in a child process: electron 45+ downloads it lazily on first use,
 * and where that download is blocked it fails; a child keeps that from hanging or killing us.
 * @returns {{ ok: true, binary: string } | { ok: false, reason: string }}
 */
export function probeElectron() {
  if (process.env.POSTSCRIPT_CONSOLE_NO_ELECTRON === '1') return { ok: false, reason: 'POSTSCRIPT_CONSOLE_NO_ELECTRON=1 is set' };
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const binary = probe.stdout?.trim();
  if (probe.status === 0 && binary && fs.existsSync(binary)) return { ok: true, binary };
  if (probe.error?.code === 'ETIMEDOUT') return { ok: false, reason: 'its download timed out' };
  const line = (probe.stderr || '').split('\n').find((l) => /error|fail|ENOTFOUND|ECONN/i.test(l));
  return { ok: false, reason: (line ?? 'its binary could not be downloaded').trim().slice(0, 160) };
}

/**
 * Electron has its own Node ABI. Rebuilding better-sqlite3 in place would break the Node build that
 * the browser shell, the tests and the benchmarks use, so Electron gets a second copy, built once
 * under .electron-abi/<version>/, which the main process loads through PSC_SQLITE_BINDING.
 * @returns {string | null} the binding's path, or null when it could not be built
 */
export function ensureElectronSqliteBinding() {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;
  const dir = path.join(ROOT, '.electron-abi', version, 'better-sqlite3');
  const binding = path.join(dir, 'build/Release/better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;
  process.stderr.write(`Building better-sqlite3 for Electron ${version} (one time, about a minute)…\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'node_modules/better-sqlite3'), dir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`),
  });
  const gyp = spawnSync(
    'npm',
    ['exec', '--yes', '--', 'node-gyp', 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' },
  );
  return gyp.status === 0 && fs.existsSync(binding) ? binding : null;
}
