/**
 * Suites that start the app as a child process (the browser shell, the standalone Sandbox) run
 * the built files in `out/`. Run on their own they would test whatever was built last, not the
 * source they name; so they call `buildFromSource()` in their set-up, which rebuilds `out/` when
 * the source differs from what `out/` was built from.
 *
 * "Differs" is a hash of every build input's content (not mtimes), written to `out/.source-hash`
 * after a build. Test files run in parallel workers: a lock directory makes one of them build
 * while the others wait, so a run builds at most once. A build that fails fails the suite with
 * electron-vite's output; nothing is skipped.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'out');
const STAMP = path.join(OUT, '.source-hash');
// Beside the build (each worktree its own); electron-vite empties out/main, out/preload and out/renderer, not out/.
const LOCK = path.join(OUT, '.build-lock');
/** What goes into `out/`: the three source trees and the build's own configuration. */
const INPUT_DIRS = ['src-main', 'src-shared', 'src-renderer'];
const INPUT_FILES = ['electron.vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.base.json'];

/** The built browser shell and standalone Sandbox that the process suites start. */
export const BROWSER_SHELL = path.join(OUT, 'main', 'browser-shell.js');
export const SANDBOX_CLI = path.join(OUT, 'main', 'sandbox-cli.js');
/** For `beforeAll(buildFromSource, BUILD_TIMEOUT_MS)`: a cold build on a busy two-core machine. */
export const BUILD_TIMEOUT_MS = 240_000;

function listFiles(dir: string, into: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, into);
    else if (entry.isFile()) into.push(full);
  }
}

/** Hash of the content of every build input, in a fixed order. */
export function sourceHash(): string {
  const files: string[] = [];
  for (const d of INPUT_DIRS) listFiles(path.join(ROOT, d), files);
  for (const f of INPUT_FILES) if (fs.existsSync(path.join(ROOT, f))) files.push(path.join(ROOT, f));
  files.sort();
  const hash = crypto.createHash('sha256');
  for (const f of files) {
    hash.update(path.relative(ROOT, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  }
  return hash.digest('hex');
}

function upToDate(hash: string): boolean {
  try {
    return fs.readFileSync(STAMP, 'utf8') === hash && fs.existsSync(BROWSER_SHELL) && fs.existsSync(SANDBOX_CLI);
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock, or returns false while another live process holds it (a dead holder's lock is removed). */
function tryLock(): boolean {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  try {
    fs.mkdirSync(LOCK);
    fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    let holder: number;
    try {
      holder = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8'));
    } catch {
      // Just made, pid not written yet: treat as held.
      return false;
    }
    if (Number.isFinite(holder) && !pidAlive(holder)) fs.rmSync(LOCK, { recursive: true, force: true });
    return false;
  }
}

function runBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const bin = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
    const child = spawn(bin, ['build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`electron-vite build failed (${signal ?? `exit ${code}`}); the suite cannot start the app:\n${output}`));
    });
  });
}

/** Makes `out/` the build of the current source: a no-op when it already is, else one build per run. */
export async function buildFromSource(): Promise<void> {
  for (;;) {
    const hash = sourceHash();
    if (upToDate(hash)) return;
    if (tryLock()) {
      try {
        if (upToDate(hash)) return; // another worker finished just before we locked
        fs.rmSync(STAMP, { force: true });
        await runBuild();
        fs.writeFileSync(STAMP, hash);
        return;
      } finally {
        fs.rmSync(LOCK, { recursive: true, force: true });
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
