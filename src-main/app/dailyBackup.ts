/**
 * The scheduled backups: the first as soon as the database holds a store (a new data directory
 * used for minutes had none, so damage then had nothing to restore), then checked hourly and taken
 * when the newest backup is a day old, with SQLite's online backup (in steps, so the app stays
 * responsive). Skipped while storage is unhealthy: a full disk has no room for it, and a damaged
 * database must not push good backups out. (The copy before each migration is `db/database.ts`'s.)
 */
import type { Backups } from '../db/backups';
import type { Db } from '../db/database';

const DAY_MS = 24 * 60 * 60 * 1000;
const CHECK_EVERY_MS = 60 * 60 * 1000;

export class DailyBackup {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  /** Set once a backup exists: stores changing need not look at the folder again. */
  private haveOne = false;
  private started = false;

  constructor(
    private readonly db: Db,
    private readonly backups: Backups,
    private readonly healthy: () => boolean,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.started = true;
    this.tick();
    this.timer = setInterval(() => this.tick(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** Stores changed (one was saved, or a teammate's arrived): the first backup, if there is none yet. */
  storesChanged(): void {
    if (this.started && !this.haveOne) this.tick();
  }

  /** An empty database has nothing worth a copy: no store, nothing else either. */
  private holdsAStore(): boolean {
    return this.db.prepare('SELECT 1 FROM stores LIMIT 1').get() !== undefined;
  }

  private tick(): void {
    if (this.running !== null || !this.healthy()) return;
    if (this.backups.newestAgeMs() < DAY_MS) {
      this.haveOne = true;
      return;
    }
    if (!this.holdsAStore()) return;
    this.running = this.backups
      .create(this.db, this.haveOne || this.backups.list().length > 0 ? 'daily' : 'first')
      .then((made) => {
        if (made !== null) this.haveOne = true;
      })
      .catch((err: unknown) => this.onError(err))
      .finally(() => (this.running = null));
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
