/**
 * When the database cannot be opened at all ("file is not a database": its first page is damaged),
 * no screen of the app can work, so the shells say it before any window: the browser shell prints
 * the file, the backups and the command that restores the newest good one; Electron shows the same
 * in a dialog with a "Restore" button. Restoring moves the damaged file aside (kept for support),
 * puts the backup in its place and marks what the backup shows as waiting "uncertain" (it may have
 * gone out after the backup was taken), then the app starts normally.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { Backups, DB_FILE, NO_BACKUP_YET, RESTORED_MESSAGE, type BackupInfo } from '../db/backups';

export class DamagedDatabaseError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly backups: BackupInfo[],
  ) {
    super(
      `The database is damaged and cannot be opened: ${file} (${detail}). ` +
        (backups.length === 0
          ? 'There is no backup yet to restore. Move the file away to start with an empty database (it is kept for support).'
          : `Backups in ${path.dirname(backups[0]!.path)}: ${backups.map((b) => `${b.name} (${b.createdAt})`).join(', ')}. ` +
            'To restore the newest good one, start the app with --restore-backup newest (or --restore-backup <name>).'),
    );
    this.name = 'DamagedDatabaseError';
  }
}

export function backupsOf(dataDir: string): Backups {
  return new Backups(path.join(dataDir, 'backups'));
}

/** Restores a backup (by name, or the newest good one) with no connection open; returns what was restored and where the damaged file went. */
export function restoreBeforeStart(dataDir: string, which: string, nativeBinding?: string): { restored: BackupInfo; keptAt: string } {
  const backups = backupsOf(dataDir);
  const chosen = which === 'newest' ? backups.newestGood() : (backups.list().find((b) => b.name === which) ?? null);
  if (chosen === null) {
    if (which !== 'newest') throw new Error(`No backup named ${which} in ${backups.dir}.`);
    throw new Error(backups.list().length === 0 ? `${NO_BACKUP_YET} (${backups.dir})` : `No backup in ${backups.dir} passes SQLite's check.`);
  }
  const check = backups.check(chosen.path);
  if (!check.ok) throw new Error(`The backup ${chosen.name} is damaged too (${check.detail}); choose another.`);
  const file = path.join(dataDir, DB_FILE);
  const keptAt = backups.restoreOffline(chosen, file);
  const db = new Database(file, nativeBinding === undefined ? {} : { nativeBinding });
  try {
    db.prepare(`UPDATE outbox SET state = 'uncertain', last_error = ?, finished_ms = ? WHERE state IN ('queued', 'in_flight')`).run(RESTORED_MESSAGE, Date.now());
  } finally {
    db.close();
  }
  return { restored: chosen, keptAt };
}
