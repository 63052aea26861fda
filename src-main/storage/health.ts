/**
 * What the app knows about its own storage: a full disk or a damaged database. Every write path
 * hands its failure here; this says it to the agent once (an `alert` push event, and the message the
 * failed call returns), pauses sending, and for a full disk probes until space is back, then resumes
 * by itself. A damaged database stays stopped until a backup is restored (nothing is sent meanwhile,
 * because an answer that cannot be recorded invites a second text to a real phone).
 */
import fs from 'node:fs';
import path from 'node:path';
import { quickCheck, type Backups } from '../db/backups';
import { DISK_FULL, writeFailureKind } from '../db/writeFailure';
import type { Db } from '../db/database';
import type { EventBus } from '../ipc/events';
import { repairIfIndexesOnly, type RepairOutcome } from './indexRepair';
import type { CheckOutcome } from './quickCheckWorker';


/** Whether the disk holding the data directory has under 1 MB free (false when it cannot tell). */
export function nearlyFull(dataDir: string): boolean {
  try {
    const free = fs.statfsSync(dataDir);
    return free.bavail * free.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}

/** Writes and removes a small file in the data directory: true when there is room again. */
export function defaultSpaceProbe(dataDir: string): () => boolean {
  return () => {
    const file = path.join(dataDir, `.space-probe-${process.pid}`);
    try {
      const free = fs.statfsSync(dataDir);
      if (free.bavail * free.bsize < 1024 * 1024) return false;
      fs.writeFileSync(file, Buffer.alloc(256 * 1024), { mode: 0o600 });
      return true;
    } catch {
      return false;
    } finally {
      fs.rmSync(file, { force: true });
    }
  };
}

export interface StorageHealthOptions {
  dataDir: string;
  dbFile: string;
  db: Db;
  bus: EventBus;
  /** Is there room again? Defaults to writing a probe file in the data directory. */
  probe?: () => boolean;
  probeEveryMs?: number;
  /** Where the damaged file is kept before an index-only damage is repaired; without it, damage is only reported. */
  backups?: Backups;
}

export class StorageHealth {
  diskFull: { since: string; where: string } | null = null;
  damaged: { since: string; detail: string } | null = null;
  /** Writes fail for another reason than space: the disk became read-only, or an I/O error. */
  cannotWrite: { since: string; where: string; message: string } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private paused = false;
  private checking = false;
  /** Resume listeners are running after the probe found room (their failures are not news). */
  private resuming = false;
  private readonly resumeListeners: Array<() => void> = [];
  private readonly probe: () => boolean;

  constructor(private readonly options: StorageHealthOptions) {
    this.probe = options.probe ?? defaultSpaceProbe(options.dataDir);
  }

  /** Sending (and other background writes) may go on. */
  allowed(): boolean {
    return this.diskFull === null && this.damaged === null && this.cannotWrite === null && !this.paused && !this.checking;
  }

  /** What holds sending now, most serious first (the outbox's "paused: disk full"), or null while it may send. */
  held(): 'damaged' | 'disk_full' | 'cannot_write' | 'restoring' | 'checking' | null {
    if (this.damaged !== null) return 'damaged';
    if (this.diskFull !== null) return 'disk_full';
    if (this.cannotWrite !== null) return 'cannot_write';
    if (this.paused) return 'restoring';
    return this.checking ? 'checking' : null;
  }

  /** Holds sending while a restore replaces the database's content. */
  pause(): void {
    this.paused = true;
  }

  unpause(): void {
    this.paused = false;
    this.resume();
  }

  /** Called when a full disk has room again, or a damaged database was restored. */
  onResume(listener: () => void): void {
    this.resumeListeners.push(listener);
  }

  fullMessage(): string {
    return `${DISK_FULL}, so nothing was saved (what was saved before is intact). Data directory: ${this.options.dataDir}. Sending is paused and nothing queued is lost; it resumes by itself once space is freed.`;
  }

  damagedMessage(detail: string): string {
    return `The database is damaged: ${this.options.dbFile} (${detail}). Sending has stopped so that nothing is sent twice. Open “Data health” to restore the newest good backup.`;
  }

  private repairedMessage(what: string, keptAt: string | null): string {
    return (
      `An index of ${what} was damaged. The app rebuilt it from ${what} itself, so nothing was lost and no backup was needed; sending goes on.` +
      (keptAt === null ? '' : ` The damaged file is kept at ${keptAt}.`)
    );
  }

  /**
   * Takes any failure from a write path. Returns the message for the agent when it is a storage
   * failure (and acts on it), or null when it is not one.
   */
  report(err: unknown, where: string): string | null {
    let kind = writeFailureKind(err);
    if (kind === null) return null;
    // SQLite says "disk I/O error" when it cannot grow its WAL or shared-memory file on a full disk.
    if (kind === 'io' && nearlyFull(this.options.dataDir)) kind = 'full';
    if (kind === 'full') {
      if (this.diskFull === null) {
        this.diskFull = { since: new Date().toISOString(), where };
        // Full again while resuming: the agent was not yet told it is back, so nothing new to say.
        if (!this.resuming) this.alert('error', this.fullMessage());
        this.startProbing();
      }
      return this.fullMessage();
    }
    if (kind === 'damaged') {
      if (this.damaged === null) {
        // Held (no alert yet) while an index-only damage is rebuilt; said as damaged if it cannot be.
        this.damaged = { since: new Date().toISOString(), detail: 'checking what is damaged' };
        void this.repairOrMark(this.problemsNow(err));
      }
      return this.damagedMessage(this.damaged!.detail);
    }
    // Like a full disk: sending pauses (answers it cannot write would pile up) until a write works again.
    if (this.cannotWrite === null) {
      const message =
        kind === 'read_only'
          ? `The data directory has become read-only, so nothing was saved. read-only: ${this.options.dataDir}. Sending is paused; it resumes by itself once the directory is writable.`
          : `The app could not write to its data directory (${this.options.dataDir}): ${err instanceof Error ? err.message : String(err)}. Sending is paused; check the disk. It resumes by itself once writing works again.`;
      this.cannotWrite = { since: new Date().toISOString(), where, message };
      if (!this.resuming) this.alert('error', message);
      this.startProbing();
    }
    return this.cannotWrite.message;
  }

  /**
   * The quick check at start. Sending waits for it (a damaged database must not be sent from);
   * the rest of the app does not. `check` runs it off the main thread; when it cannot run, the
   * check runs here, on the app's own connection.
   */
  async checkAtStart(check: () => Promise<CheckOutcome>): Promise<void> {
    this.checking = true;
    let problems: string[];
    try {
      const outcome = await check();
      problems = 'problems' in outcome ? outcome.problems : quickCheck(this.options.db);
    } catch (err) {
      problems = [err instanceof Error ? err.message : String(err)];
    }
    if (problems.length > 0) await this.repairOrMark(problems);
    this.checking = false;
    this.resume();
  }

  /**
   * Only indexes damaged: rebuilt from their tables, said in words, and sending goes on (`db/damage.ts`).
   * Table data damaged: stopped until a restore, naming what is affected in the agent's terms.
   */
  private async repairOrMark(problems: string[]): Promise<void> {
    const backups = this.options.backups;
    if (backups === undefined) {
      this.markDamaged(problems.slice(0, 3).join('; '));
      return;
    }
    let outcome: RepairOutcome;
    try {
      outcome = await repairIfIndexesOnly(this.options.db, this.options.dbFile, backups, problems);
    } catch {
      outcome = { repaired: false, what: 'the database', damage: { objects: [], unplaced: problems, indexesOnly: false } };
    }
    if (!outcome.repaired) {
      this.markDamaged(`damaged: ${outcome.what}`);
      return;
    }
    this.damaged = null;
    this.alert('warning', this.repairedMessage(outcome.what, outcome.keptAt));
    this.resume();
  }

  /** After a restore: the database is sound again. */
  clearDamaged(): void {
    if (this.damaged === null) return;
    this.damaged = null;
    this.alert('warning', 'The database was restored from a backup; sending has resumed.');
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** What SQLite's check finds now; the error itself when the check cannot run. */
  private problemsNow(err: unknown): string[] {
    try {
      const problems = quickCheck(this.options.db);
      if (problems.length > 0) return problems;
    } catch {
      // The check itself fails on the damage: the error says enough.
    }
    return [err instanceof Error ? err.message : String(err)];
  }

  private markDamaged(detail: string): void {
    this.damaged = { since: new Date().toISOString(), detail };
    this.alert('error', this.damagedMessage(detail));
  }

  private startProbing(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => {
      if ((this.diskFull === null && this.cannotWrite === null) || !this.probe()) return;
      const wasFull = this.diskFull !== null;
      this.diskFull = null;
      this.cannotWrite = null;
      this.stop();
      // The held writes go first; "back" is said only when they worked. A probe file fits in less
      // room than SQLite may need, and saying "back", then "full", then "back" again misleads.
      this.resuming = true;
      try {
        this.resume();
      } finally {
        this.resuming = false;
      }
      if (this.diskFull !== null || this.cannotWrite !== null) return; // still short of room: probing again, said once already
      this.alert('warning', wasFull ? 'Disk space is back: the app saves again and sending has resumed.' : 'The data directory is writable again: sending has resumed.');
    }, this.options.probeEveryMs ?? 5000);
    this.timer.unref();
  }

  private resume(): void {
    if (!this.allowed()) return;
    for (const l of this.resumeListeners) {
      try {
        l();
      } catch (err) {
        // A listener that fails on storage again re-enters report(); anything else is not ours to stop.
        if (this.report(err, 'resuming') === null) throw err;
      }
    }
  }

  private alert(level: 'error' | 'warning', message: string): void {
    this.options.bus.emit('alert', { level, message, at: new Date().toISOString() });
  }
}
