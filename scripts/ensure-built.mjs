/** Builds the app (electron-vite) when its output is missing, so `npm start` works right after install. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './electron.mjs';

const OUTPUTS = ['out/main/index.js', 'out/main/browser-shell.js', 'out/main/sandbox-cli.js', 'out/main/team-db-cli.js', 'out/preload/index.js', 'out/preload/bridge.js', 'out/renderer/index.html'];

export function ensureBuilt() {
  if (OUTPUTS.every((f) => fs.existsSync(path.join(ROOT, f)))) return;
  process.stderr.write('Building the app (first run)…\n');
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    process.stderr.write('The build failed: run `npm ci` and try again.\n');
    process.exit(1);
  }
}
