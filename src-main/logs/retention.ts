/**
 * Keeps the delivery log to N days. Deletes in small chunks and yields between them, so a prune of
 * a million rows never blocks the main process for more than a few milliseconds at a time.
 */
import crypto from 'node:crypto';
import type { DeliveryLog } from '../db/deliveryLog';
import type { Repository } from '../db/store';
import type { EventBus } from '../ipc/events';

export const RETENTION_KEY = 'settings.retentionDays';
export const DEFAULT_RETENTION_DAYS = 90;
const CHUNK = 1000;

export class RetentionPruner {
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Told when a background prune fails (a full disk, a damaged database); unset, the failure is thrown. */
  onError: ((err: unknown) => void) | null = null;

  constructor(
    private readonly repo: Repository,
    private readonly log: DeliveryLog,
    private readonly bus: EventBus,
  ) {}

  days(): number {
    return this.repo.getState<number>(RETENTION_KEY) ?? DEFAULT_RETENTION_DAYS;
  }

  setDays(days: number): void {
    this.repo.setState(RETENTION_KEY, days);
  }

  /** Prunes now (if not already pruning), then every six hours. */
  start(): void {
    this.background();
    this.timer = setInterval(() => this.background(), 6 * 3600_000);
    this.timer.unref();
  }

  private background(): void {
    this.prune().catch((err: unknown) => {
      if (this.onError === null) throw err;
      this.onError(err);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  prune(now = new Date()): Promise<number> {
    if (this.running !== null) return this.running;
    const cutoff = new Date(now.getTime() - this.days() * 86_400_000).toISOString();
    const jobId = crypto.randomUUID();
    this.running = (async () => {
      let total = 0;
      for (;;) {
        if (this.stopped) break;
        const n = this.log.pruneChunk(cutoff, CHUNK);
        total += n;
        if (n < CHUNK) break;
        this.bus.emit('progress', { jobId, kind: 'prune', done: total, total: null, finished: false });
        await new Promise((r) => setImmediate(r));
      }
      if (total > 0) {
        this.bus.emit('progress', { jobId, kind: 'prune', done: total, total, finished: true });
        this.bus.emit('changed', { topics: ['deliveries', 'logStats'] });
      }
      return total;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
