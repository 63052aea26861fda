/** Data health: full disk, damaged database, backups and restoring one, sends answered but not recorded. */
import path from 'node:path';
import { AppError } from '../../src-shared/errors';
import type { DataHealth } from '../../src-shared/ipc/contract';
import { DB_FILE, NO_BACKUP_YET, quickCheck, RESTORED_MESSAGE } from '../db/backups';
import { carriedMessage, carryOverSends, formatLacking, keepReport, summarizeLacking, whatBackupLacks } from '../db/restoreReport';
import type { MainContext } from './context';
import type { Db } from '../db/database';
import type { AreaHandlers, Router } from '../ipc/router';

export function dataHealth(ctx: MainContext): DataHealth {
  const { diskFull, damaged } = ctx.storage;
  return {
    dataDir: ctx.dataDir,
    dbFile: path.join(ctx.dataDir, DB_FILE),
    backupsDir: ctx.backups.dir,
    diskFull: diskFull === null ? null : { ...diskFull, message: ctx.storage.fullMessage() },
    damaged: damaged === null ? null : { ...damaged, message: ctx.storage.damagedMessage(damaged.detail) },
    cannotWrite: ctx.storage.cannotWrite,
    backups: ctx.backups.list().map(({ name, createdAt, reason, sizeBytes }) => ({ name, createdAt, reason, sizeBytes })),
    unrecorded: ctx.dispatcher.unrecorded(),
  };
}

export function dataHealthHandlers(ctx: MainContext, db: Db): AreaHandlers<'dataHealth'> {
  let restoring = false;
  return {
    status: async () => dataHealth(ctx),

    backupNow: async () => {
      if (ctx.storage.damaged !== null) throw new AppError('conflict', 'The database is damaged: a backup of it would not help. Restore the newest good backup instead.');
      const made = await ctx.backups.create(db, 'manual');
      if (made === null) throw new AppError('conflict', 'SQLite’s check found damage, so no backup was taken. Restore the newest good backup instead.');
      return dataHealth(ctx);
    },

    restore: async ({ name }) => {
      if (restoring) throw new AppError('conflict', 'A restore is already running.');
      const chosen = name === undefined ? ctx.backups.newestGood() : (ctx.backups.list().find((b) => b.name === name) ?? null);
      if (chosen === null) {
        if (name !== undefined) throw new AppError('not_found', `There is no backup named ${name}.`);
        throw new AppError('not_found', ctx.backups.list().length === 0 ? NO_BACKUP_YET : `No backup in ${ctx.backups.dir} passes SQLite’s check.`);
      }
      const check = ctx.backups.check(chosen.path);
      if (!check.ok) throw new AppError('conflict', `The backup ${chosen.name} is damaged too (${check.detail}); choose an older one.`);
      restoring = true;
      try {
        // Nothing is sent while the content changes underneath: in-flight sends finish first.
        ctx.storage.pause();
        await ctx.dispatcher.idle();
        const liveFile = path.join(ctx.dataDir, DB_FILE);
        // Before anything is replaced: what the backup lacks, from the damaged file where it can be read.
        const lacking = whatBackupLacks(chosen.path, liveFile);
        const keptAt = ctx.backups.keepDamaged(liveFile);
        await ctx.backups.restoreInto(chosen, liveFile);
        const problems = quickCheck(db);
        if (problems.length > 0) throw new AppError('internal', `The restored database does not pass SQLite’s check (${problems[0]}).`);
        const markedUncertain = ctx.outbox.markUncertainAfterRestore(RESTORED_MESSAGE, ctx.dispatcher.unrecordedIds(), ctx.dispatcher.endpoints());
        const carried = carryOverSends(db, lacking.sends, carriedMessage, ctx.dispatcher.endpoints());
        const file = keepReport(ctx.backups.dir, formatLacking(lacking, { backup: chosen.name, backupAt: chosen.createdAt, damagedFile: liveFile, keptAt, carried }));
        ctx.storage.clearDamaged();
        ctx.bus.emit('changed', { topics: ['stores', 'triggers', 'deliveries', 'sandbox', 'outbox', 'batches', 'logStats', 'skip'] });
        return { health: dataHealth(ctx), restored: chosen.name, markedUncertain, keptAt, lacking: { summary: summarizeLacking(lacking), file, carriedUncertain: carried } };
      } finally {
        restoring = false;
        ctx.storage.unpause();
      }
    },
  };
}

export function registerDataHealthHandlers(router: Router, ctx: MainContext, db: Db): void {
  router.registerArea('dataHealth', dataHealthHandlers(ctx, db));
}
