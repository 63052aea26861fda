/**
 * When the database cannot be opened at all ("file is not a database": its first page is damaged),
 * no screen of the app can work, so the shells say it before any window: the browser shell prints
 * the file, the backups and the command that restores the newest good one; Electron shows the same
 * in a dialog with a "Restore" button. Restoring moves the damaged file aside (kept for support),
 * puts the backup in its place and marks what the backup shows as waiting "uncertain" (it may have
 * gone out after the backup was taken), then the app starts normally.
 */
import { openSqlite } from '../db/sqlite';
import path from 'node:path';
import { Backups, DB_FILE, NO_BACKUP_YET, RESTORED_MESSAGE, type BackupInfo } from '../db/backups';
import { carriedMessage, carryOverSends, formatLacking, keepReport, summarizeLacking, whatBackupLacks } from '../db/restoreReport';
import { markUncertainWithAttempts } from '../db/uncertainAttempts';

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
export function restoreBeforeStart(dataDir: string, which: string, nativeBinding?: string): { restored: BackupInfo; keptAt: string; lacking: string; reportFile: string } {
  const backups = backupsOf(dataDir);
  const chosen = which === 'newest' ? backups.newestGood() : (backups.list().find((b) => b.name === which) ?? null);
  if (chosen === null) {
    if (which !== 'newest') throw new Error(`No backup named ${which} in ${backups.dir}.`);
    throw new Error(backups.list().length === 0 ? `${NO_BACKUP_YET} (${backups.dir})` : `No backup in ${backups.dir} passes SQLite's check.`);
  }
  const check = backups.check(chosen.path);
  if (!check.ok) throw new Error(`The backup ${chosen.name} is damaged too (${check.detail}); choose another.`);
  const file = path.join(dataDir, DB_FILE);
  // Before anything is replaced: what the backup lacks, from the damaged file where it can be read.
  const lacking = whatBackupLacks(chosen.path, file);
  const keptAt = backups.restoreOffline(chosen, file);
  const db = openSqlite(file, {}, nativeBinding);
  let carried: number;
  try {
    // The Sandbox's port changes with every run; a send that had an attempt keeps that attempt's address.
    const endpoints = { sandbox: 'http://127.0.0.1', live: process.env.POSTSCRIPT_LIVE_BASE_URL ?? 'https://api.postscript.io' };
    markUncertainWithAttempts(db, `o.state IN ('queued', 'in_flight')`, RESTORED_MESSAGE, endpoints);
    carried = carryOverSends(db, lacking.sends, carriedMessage, endpoints);
  } finally {
    db.close();
  }
  const reportFile = keepReport(backups.dir, formatLacking(lacking, { backup: chosen.name, backupAt: chosen.createdAt, damagedFile: file, keptAt, carried }));
  return { restored: chosen, keptAt, lacking: summarizeLacking(lacking), reportFile };
}
