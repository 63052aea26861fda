#!/usr/bin/env node
/**
 * `postinstall`: makes sure better-sqlite3's native addon loads in the Node that runs this
 * project, and rebuilds it against that Node's own headers when it does not.
 *
 * Why: the project runs on its own Node 22 (the `node` dev dependency, `node_modules/.bin/node`,
 * which npm puts first on PATH for every script, `npx` and `npm test` included), whatever the
 * machine's Node is. npm builds the addon during install with the Node it finds on PATH, which
 * is already that one, but a machine-wide `nodedir` setting (e.g. `nodedir=/usr` in ~/.npmrc for a
 * system Node 20) makes node-gyp compile against another Node's headers, and the addon then
 * refuses to load ("compiled against a different Node.js version"). This runs after every
 * `npm ci` / `npm install`, in that same Node, and costs one quick check when all is well.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function loads() {
  const r = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: ROOT, encoding: 'utf8' });
  const lines = (r.stderr ?? '').split('\n');
  return { ok: r.status === 0, error: lines.find((l) => l.includes('NODE_MODULE_VERSION')) ?? lines.find((l) => l.includes('Error')) ?? lines.find((l) => l.trim() !== '') ?? '' };
}

/** This Node's own headers: beside its binary (official archives) or in the `node` package's platform package. */
function headersDir() {
  const candidates = [path.resolve(path.dirname(process.execPath), '..')];
  const nested = path.join(ROOT, 'node_modules', 'node', 'node_modules');
  if (fs.existsSync(nested)) for (const name of fs.readdirSync(nested)) candidates.push(path.join(nested, name));
  for (const dir of candidates) {
    const header = path.join(dir, 'include', 'node', 'node_version.h');
    if (!fs.existsSync(header)) continue;
    const text = fs.readFileSync(header, 'utf8');
    const version = ['MAJOR', 'MINOR', 'PATCH'].map((part) => new RegExp(`#define NODE_${part}_VERSION (\\d+)`).exec(text)?.[1]).join('.');
    if (`v${version}` === process.version) return dir;
  }
  return null;
}

const first = loads();
if (first.ok) process.exit(0);

const headers = headersDir();
process.stdout.write(
  `better-sqlite3 does not load in Node ${process.version}: ${first.error.trim().slice(0, 200)}\n` +
    `Rebuilding it for this Node${headers === null ? '' : ` with its headers in ${headers}`} (about a minute)…\n`,
);
const rebuild = spawnSync('npm', ['rebuild', 'better-sqlite3'], {
  cwd: ROOT,
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: {
    ...process.env,
    // The rebuild's own scripts must find this Node first, and compile against its headers
    // (empty: node-gyp fetches the headers for this Node's version itself).
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: headers ?? '',
  },
});
const second = loads();
if (rebuild.status !== 0 || !second.ok) {
  process.stderr.write(
    `Could not build better-sqlite3 for Node ${process.version}: ${second.error || 'npm rebuild failed'}\n` +
      'It needs a C++ toolchain and Python (Debian: apt-get install build-essential python3). Then run `npm rebuild better-sqlite3`.\n',
  );
  process.exit(1);
}
process.stdout.write(`better-sqlite3 now loads in Node ${process.version}.\n`);
