/** Channels of the `dataHealth` area (the app's own storage, not a store's health): full disk, damaged database, backups, sends answered but not recorded. */
import { z } from 'zod';
import { channel, Empty } from './channel';

export const UnrecordedSend = z.object({
  itemId: z.number().int(),
  storeId: z.string(),
  eventKey: z.string(),
  /** What Postscript's answer meant (delivered, failed…): the app knows it, the database does not yet. */
  outcome: z.string(),
  status: z.number().int().nullable(),
  at: z.string(),
  reason: z.string(),
});
export type UnrecordedSend = z.infer<typeof UnrecordedSend>;

export const BackupSummary = z.object({ name: z.string(), createdAt: z.string(), reason: z.string(), sizeBytes: z.number().int() });
export type BackupSummary = z.infer<typeof BackupSummary>;

export const DataHealth = z.object({
  dataDir: z.string(),
  dbFile: z.string(),
  backupsDir: z.string(),
  diskFull: z.object({ since: z.string(), where: z.string(), message: z.string() }).nullable(),
  damaged: z.object({ since: z.string(), detail: z.string(), message: z.string() }).nullable(),
  /** Writes fail for another reason (the disk became read-only, an I/O error): sending is paused. */
  cannotWrite: z.object({ since: z.string(), where: z.string(), message: z.string() }).nullable(),
  /** Newest first. */
  backups: z.array(BackupSummary),
  unrecorded: z.array(UnrecordedSend),
});
export type DataHealth = z.infer<typeof DataHealth>;

export const RestoreResult = z.object({
  health: DataHealth,
  restored: z.string(),
  /** Sends the backup showed as waiting, now uncertain (they may have gone out after the backup). */
  markedUncertain: z.number().int(),
  /** Where the replaced database was kept, for support. */
  keptAt: z.string().nullable(),
  /** What the backup lacks that the damaged file still showed ("1 store, 0 settings, 3 attempts and 1 send"), kept in `file` next to the backups. */
  lacking: z.object({ summary: z.string(), file: z.string(), carriedUncertain: z.number().int() }),
});

export const dataHealthChannels = {
  /** Full disk, damaged database, backups, and sends answered but not yet recorded. */
  status: channel(Empty, DataHealth),
  backupNow: channel(Empty, DataHealth),
  /** Restores a backup (the newest good one when no name is given) into the open database. */
  restore: channel(z.object({ name: z.string().max(200).optional() }), RestoreResult),
};
