/**
 * Copies of the app database in `<dataDir>/backups`: taken daily and before each migration, only
 * from a database that passes SQLite's quick check (a damaged copy would push good ones out), the
 * newest few kept, each 0600 like the database (they hold the same phone numbers). Restoring one
 * replaces the database's content through SQLite's online backup API, so the open connection sees
 * the restored data at its next read; the damaged file is kept aside first, for support.
 */
import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite';
import fs from 'node:fs';
import path from 'node:path';
type Db = Database.Database;

export const KEEP_BACKUPS = 5;
export const DB_FILE = 'console.sqlite3';
/** Said of a send the restored backup showed as waiting: it may have gone out after the backup was taken. */
export const RESTORED_MESSAGE =
  'Restored from a backup: this send may have gone out after the backup was taken. Resend it by hand if the event is missing in Postscript.';
/** Said when there is no backup at all (rather than that none passes the check). */
export const NO_BACKUP_YET = 'There is no backup yet: the first one is taken as soon as the database holds a store, then daily and before each update.';
/** console-<UTC stamp>-<reason>[-<n>].sqlite3; n tells apart copies taken in the same second. */
const NAME = /^console-(\d{8}-\d{6})-([a-z]+(?:-v\d+)?)(?:-(\d+))?\.sqlite3$/;

export interface BackupInfo {
  name: string;
  path: string;
  createdAt: string;
  reason: string;
  sizeBytes: number;
}

/** SQLite's quick check: [] when the database is sound, else what it found (at most 10 lines). */
export function quickCheck(db: Db): string[] {
  const rows = db.pragma('quick_check(10)') as Array<{ quick_check: string }>;
  const lines = rows.map((r) => r.quick_check);
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

/** Is this a damaged-database error from SQLite? */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

function stamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

function fromStamp(s: string): string {
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
}

/** A new file, empty and 0600 before SQLite writes a byte into it (SQLite accepts an empty file as a target). */
function privateTarget(dir: string, reason: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = `console-${stamp(new Date())}-${reason}`;
  // After the newest of this second: a number reused after pruning would sort as the oldest.
  const taken = fs.readdirSync(dir).filter((n) => n.startsWith(base)).map((n) => Number(/-(\d+)\.sqlite3$/.exec(n.slice(base.length))?.[1] ?? 0));
  for (let i = taken.length === 0 ? 0 : Math.max(...taken) + 1; ; i++) {
    const file = path.join(dir, `${base}${i === 0 ? '' : `-${i}`}.sqlite3`);
    try {
      fs.closeSync(fs.openSync(file, 'wx', 0o600));
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

export class Backups {
  constructor(
    readonly dir: string,
    private readonly keep = KEEP_BACKUPS,
  ) {}

  /** Newest first. */
  list(): BackupInfo[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: Array<BackupInfo & { order: string }> = [];
    for (const name of names) {
      const m = NAME.exec(name);
      if (m === null) continue;
      const file = path.join(this.dir, name);
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (st === undefined || st.size === 0) continue;
      // Within one second (two reasons, e.g. the first backup and one by hand): the one written last is newer.
      const order = `${m[1]!}-${Math.floor(st.mtimeMs).toString().padStart(15, '0')}-${(m[3] ?? '0').padStart(6, '0')}`;
      out.push({ name, path: file, createdAt: fromStamp(m[1]!), reason: m[2]!, sizeBytes: st.size, order });
    }
    return out.sort((a, b) => (a.order < b.order ? 1 : -1)).map(({ order: _order, ...b }) => b);
  }

  /** Blocking copy (VACUUM INTO): for the moment before a migration, when nothing else runs yet. */
  createSync(db: Db, reason: string): BackupInfo | null {
    if (quickCheck(db).length > 0) return null;
    const file = privateTarget(this.dir, reason);
    try {
      db.prepare('VACUUM INTO ?').run(file);
    } catch (err) {
      fs.rmSync(file, { force: true }); // never leave a half copy that looks like a backup
      throw err;
    }
    return this.finish(file);
  }

  /** Non-blocking copy (online backup, in steps): for the daily backup while the app is in use. */
  async create(db: Db, reason: string): Promise<BackupInfo | null> {
    if (quickCheck(db).length > 0) return null;
    const file = privateTarget(this.dir, reason);
    try {
      await db.backup(file);
      fs.chmodSync(file, 0o600);
    } catch (err) {
      fs.rmSync(file, { force: true });
      throw err;
    }
    return this.finish(file);
  }

  private finish(file: string): BackupInfo {
    this.prune();
    const made = this.list().find((b) => b.path === file);
    if (made === undefined) throw new Error(`The backup ${file} vanished as it was made.`);
    return made;
  }

  newestAgeMs(now = Date.now()): number {
    const newest = this.list()[0];
    return newest === undefined ? Infinity : now - Date.parse(newest.createdAt);
  }

  /** Whether a backup opens and passes the quick check. */
  check(file: string): { ok: true } | { ok: false; detail: string } {
    try {
      const db = openSqlite(file, { readonly: true, fileMustExist: true });
      try {
        const problems = quickCheck(db);
        return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join('; ') };
      } finally {
        db.close();
      }
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }

  /** The newest backup that passes the quick check. */
  newestGood(): BackupInfo | null {
    return this.list().find((b) => this.check(b.path).ok) ?? null;
  }

  /** Keeps a copy of the damaged database (and its WAL) for support; best effort. */
  keepDamaged(liveFile: string): string | null {
    const target = path.join(this.dir, `damaged-${stamp(new Date())}.sqlite3`);
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      fs.copyFileSync(liveFile, target);
      fs.chmodSync(target, 0o600);
      if (fs.existsSync(`${liveFile}-wal`)) {
        fs.copyFileSync(`${liveFile}-wal`, `${target}-wal`);
        fs.chmodSync(`${target}-wal`, 0o600);
      }
      return target;
    } catch {
      return null;
    }
  }

  /** Replaces the live database's content with a backup's, through the online backup API. */
  async restoreInto(backup: BackupInfo, liveFile: string): Promise<void> {
    const src = openSqlite(backup.path, { readonly: true, fileMustExist: true });
    try {
      await src.backup(liveFile);
    } finally {
      src.close();
    }
  }

  /** With no connection open (the database could not be opened at all): the damaged file goes aside, the backup takes its place. */
  restoreOffline(backup: BackupInfo, liveFile: string): string {
    const aside = `${liveFile}.damaged-${stamp(new Date())}`;
    fs.renameSync(liveFile, aside);
    for (const ext of ['-wal', '-shm']) if (fs.existsSync(`${liveFile}${ext}`)) fs.renameSync(`${liveFile}${ext}`, `${aside}${ext}`);
    fs.copyFileSync(backup.path, liveFile);
    fs.chmodSync(liveFile, 0o600);
    return aside;
  }

  private prune(): void {
    for (const old of this.list().slice(this.keep)) fs.rmSync(old.path, { force: true });
  }
}
