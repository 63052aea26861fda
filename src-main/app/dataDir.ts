/**
 * The data directory, before anything else touches it: created private (0700), checked writable
 * with a message that names the cause, and locked so that one app at a time uses it. A second copy
 * on the same directory (a double-clicked icon, a second browser shell) would otherwise run its
 * start-up recovery over the first one's in-flight sends and overwrite its Sandbox state.
 *
 * The lock is `<dataDir>/app.lock`, holding the owner's pid, host and URL. It is created complete
 * (written to a temporary name, then hard-linked into place, which fails if the lock exists), so a
 * reader never sees a half-written lock. A lock whose pid is dead on this host is stale (a crash or
 * kill -9) and is taken over.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DISK_FULL, writeFailureKind } from '../db/writeFailure';

export const LOCK_FILE = 'app.lock';

export interface LockOwner {
  pid: number;
  host: string;
  /** Where the running copy can be opened (the browser shell's launch URL), when it has one. */
  url: string | null;
  startedAt: string;
}

/** The data directory cannot be used: read-only, not writable, or held by another copy. The message is for the agent. */
export class DataDirError extends Error {
  constructor(
    readonly kind: 'read_only' | 'not_writable' | 'disk_full' | 'in_use',
    message: string,
    readonly owner: LockOwner | null = null,
  ) {
    super(message);
    this.name = 'DataDirError';
  }
}

const isPosix = process.platform !== 'win32';

/** Turns a file-system refusal into words that say which path and why, or null when it is something else. */
export function explainWriteFailure(err: unknown, where: string): DataDirError | null {
  const kind = writeFailureKind(err);
  if (kind === 'read_only') {
    return new DataDirError('read_only', `The data directory is on a read-only disk, so the app cannot save anything. read-only: ${where}. Point POSTSCRIPT_CONSOLE_DATA_DIR at a writable folder, or make this one writable.`);
  }
  if (kind === 'full') {
    return new DataDirError('disk_full', `${DISK_FULL}: the app has no room to start in its data directory (${where}). Free some space on that disk, then start the app again; nothing saved is lost.`);
  }
  if (kind === 'not_writable') {
    return new DataDirError('not_writable', `The app is not allowed to write to its data directory (permission denied): ${where}. Give your user write access to it, or point POSTSCRIPT_CONSOLE_DATA_DIR at another folder.`);
  }
  return null;
}

/** Creates the directory 0700 (and tightens an existing one: it holds phone numbers and request bodies). */
export function prepareDataDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw explainWriteFailure(err, dir) ?? err;
  }
  if (!isPosix) return; // Windows: the profile's ACLs already keep it private.
  const st = fs.statSync(dir);
  if ((st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) {
    try {
      fs.chmodSync(dir, 0o700);
    } catch {
      // A read-only disk refuses chmod too; the lock below says so in words.
    }
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, host: String(parsed.host ?? ''), url: typeof parsed.url === 'string' ? parsed.url : null, startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return null;
  }
}

/** Linux: the process's state letter from /proc (Z: a zombie, X: dead); null elsewhere or when it cannot be read. */
function procState(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state …": comm may hold spaces and parentheses, so read after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

/**
 * Whether a process with this pid runs here. A pid that answers is not enough: a process killed a
 * moment ago stays a zombie until its parent reaps it (a restart 0.5 s after kill -9 said "already
 * running" about a dead app), which Linux's /proc tells apart.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: it exists, owned by someone else
  }
  const state = procState(pid);
  return state !== 'Z' && state !== 'X';
}

function inUseMessage(dir: string, owner: LockOwner, file: string): string {
  const where = owner.url !== null ? `Open it at ${owner.url}` : 'Switch to its window';
  return (
    `Postscript Console is already running on this data directory (${dir}): process ${owner.pid}` +
    `${owner.host !== os.hostname() ? ` on ${owner.host}` : ''}, started ${owner.startedAt}. ${where}. ` +
    `To run a second copy, point POSTSCRIPT_CONSOLE_DATA_DIR at another folder. If no copy is running, delete ${file}.`
  );
}

/** Who holds the directory's lock now (a live process here, or a copy on another host), or null. */
export function lockHolder(dir: string): LockOwner | null {
  const owner = readOwner(path.join(dir, LOCK_FILE));
  if (owner === null || (owner.host === os.hostname() && !alive(owner.pid))) return null;
  return owner;
}

/**
 * For a tool that writes a file without being the app (the standalone Sandbox's `--state`):
 * refuses when the file lies inside a data directory that a running copy holds, since that copy
 * saves the same file and one would overwrite the other's. Checks every folder up from the file.
 */
export function refuseIfInHeldDataDir(file: string, what: string, fix: string): void {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const owner = lockHolder(dir);
    if (owner !== null) {
      const where = owner.url !== null ? `Open it at ${owner.url}` : 'Switch to its window';
      throw new DataDirError(
        'in_use',
        `${what} ${file} is in the data directory of a running Postscript Console (${dir}): process ${owner.pid}` +
          `${owner.host !== os.hostname() ? ` on ${owner.host}` : ''}, started ${owner.startedAt}. ${where}. ${fix}`,
        owner,
      );
    }
    if (path.dirname(dir) === dir) return;
  }
}

export class DataDirLock {
  private released = false;

  private constructor(
    readonly dir: string,
    readonly file: string,
    private owner: LockOwner,
  ) {}

  /**
   * Prepares the directory and takes its lock, or throws a DataDirError that says who holds it (and
   * how to reach them) or why the directory cannot be written. Nothing else is written before this.
   */
  static acquire(dir: string): DataDirLock {
    prepareDataDir(dir);
    const file = path.join(dir, LOCK_FILE);
    const owner: LockOwner = { pid: process.pid, host: os.hostname(), url: null, startedAt: new Date().toISOString() };
    // Three tries: a stale lock removed, then a race with another starting copy, then give up.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeNew(file, owner);
        return new DataDirLock(dir, file, owner);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw explainWriteFailure(err, dir) ?? err;
      }
      const current = readOwner(file);
      if (current === null) {
        // Unreadable: a copy mid-start (the link is atomic, so this is rare) or a damaged file.
        const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
        if (age < 10_000) throw new DataDirError('in_use', `Another Postscript Console is starting on this data directory (${dir}). Wait a moment, or delete ${file} if none is.`);
      } else if (current.host === os.hostname() && !alive(current.pid)) {
        // Stale: its owner is gone. Fall through and take it over.
      } else {
        throw new DataDirError('in_use', inUseMessage(dir, current, file), current);
      }
      try {
        fs.unlinkSync(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw explainWriteFailure(err, dir) ?? err;
      }
    }
    throw new DataDirError('in_use', `Could not take the lock ${file}: another copy keeps starting on this data directory.`);
  }

  /** Records where this copy can be opened, so a second launch can point the agent to it. */
  setUrl(url: string): void {
    if (this.released) return;
    this.owner = { ...this.owner, url };
    const tmp = `${this.file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify(this.owner), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
    } catch {
      fs.rmSync(tmp, { force: true }); // a full disk: the lock still holds, only without the URL
    }
  }

  /** Removes the lock if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const current = readOwner(this.file);
    if (current !== null && current.pid === this.owner.pid && current.startedAt === this.owner.startedAt) fs.rmSync(this.file, { force: true });
  }
}

function writeNew(file: string, owner: LockOwner): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(owner), { mode: 0o600, flag: 'wx' });
    fs.linkSync(tmp, file); // fails with EEXIST when the lock is held: the atomic part
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
