/**
 * The daily backup: checked hourly, taken when the newest backup is a day old, with SQLite's online
 * backup (in steps, so the app stays responsive). Skipped while storage is unhealthy: a full disk
 * has no room for it, and a damaged database must not push good backups out.
 */
import type { Backups } from '../db/backups';
import type { Db } from '../db/database';

const DAY_MS = 24 * 60 * 60 * 1000;
const CHECK_EVERY_MS = 60 * 60 * 1000;

export class DailyBackup {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly backups: Backups,
    private readonly healthy: () => boolean,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** `hasData`: a database created just now has nothing worth a copy yet. */
  start(hasData: boolean): void {
    if (hasData) this.tick();
    this.timer = setInterval(() => this.tick(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running !== null || !this.healthy() || this.backups.newestAgeMs() < DAY_MS) return;
    this.running = this.backups
      .create(this.db, 'daily')
      .catch((err: unknown) => this.onError(err))
      .finally(() => (this.running = null));
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
