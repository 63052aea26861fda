/** Opening the SQLite database (WAL, foreign keys, busy timeout) and applying the numbered migrations. */
import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite';
import fs from 'node:fs';
import path from 'node:path';
import type { Backups } from './backups';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better-sqlite3 native binding built for this runtime's ABI (Electron). */
  nativeBinding?: string;
  migrations?: readonly Migration[];
  /** Where a copy is taken before migrating an existing database (none when absent). */
  backups?: Backups;
}

/** The database and its WAL hold phone numbers and request bodies: private to the user. */
function makePrivate(file: string): void {
  if (process.platform === 'win32') return; // the profile's ACLs keep it private
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    const st = fs.statSync(f, { throwIfNoEntry: false });
    if (st !== undefined && (st.mode & 0o077) !== 0) fs.chmodSync(f, 0o600);
  }
}

/** Opens (creating if needed) the app database: WAL, foreign keys on, migrated to the latest version. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Created 0600 before SQLite opens it; SQLite gives the -wal and -shm files the same mode.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    makePrivate(file);
  }
  const db = openSqlite(file, {}, options.nativeBinding);
  try {
    db.pragma('journal_mode = WAL');
    if (file !== ':memory:') makePrivate(file);
    db.pragma('foreign_keys = ON');
    // Waiting briefly on a lock beats failing a user action because a background write is in flight.
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    const migrations = options.migrations ?? MIGRATIONS;
    const current = schemaVersion(db);
    // A copy before changing the schema of a database that holds data, so a bad migration loses nothing.
    if (options.backups !== undefined && current > 0 && current < migrations.length) options.backups.createSync(db, `before-v${current + 1}`);
    migrate(db, migrations);
  } catch (err) {
    db.close(); // a file that is not a database must not stay open (and locked) behind the error
    throw err;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration newer than the database, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 1..n without gaps; found ${m.version} at ${i + 1}.`);
  });
  const current = schemaVersion(db);
  const latest = sorted.length;
  if (current > latest) {
    throw new Error(
      `This data directory was written by a newer version of Postscript Console (schema ${current}, this app knows ${latest}). Update the app.`,
    );
  }
  for (const m of sorted) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}
