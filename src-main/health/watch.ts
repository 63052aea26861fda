/**
 * The health watch: re-checks every active store (not archived, setup finished) on the agent's
 * schedule (daily by default) and on demand, records each result in the store's health history,
 * and raises an alert when a store turns red. When Postscript cannot be reached, the stores behind
 * that endpoint wait: the endpoint is probed (a bare TCP connect, as the outbox does) and they are
 * checked when it answers again. The network's fault never turns a store red.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { HealthStatus, WatchSettings, WatchStatus } from '../../src-shared/ipc/contract';
import { isWatchedStore } from '../../src-shared/rules/activeStores';
import type { WatchDeps } from '../readiness/deps';
import { Reachability, type ProbeFn } from '../outbox/reachability';
import { baseUrlFor } from '../postscript/accounts';
import { WATCH_SETTINGS_KEY, watchSettingsOf } from '../postscript/attention';
import { needsCheck } from '../postscript/deferredChecks';
import { probeStore } from '../readiness/recheck';

const LAST_RUN_KEY = 'health.watch.lastRunAt';
/** When the watch first started, the base of its schedule until it has run once. */
const SINCE_KEY = 'health.watch.since';
const HISTORY_DAYS = 365;
/** Stores checked at once: each has its own token, so its own pacing; a few keep a cycle short. */
const CONCURRENCY = 4;
/** After a start-up, an overdue run waits this long so it does not compete with the app opening. */
const STARTUP_DELAY_MS = 5_000;
const STOP_WAIT_MS = 3_000;

export interface WatchOptions {
  /** Overrides the schedule (tests shorten the cycle); the status says so, next to the agent's setting. */
  intervalMs?: number;
  /** What set intervalMs (an environment variable's name, or a launch option), for the status. */
  intervalSetBy?: string;
  probe?: ProbeFn;
}

export class HealthWatch {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> = Promise.resolve();
  private running = false;
  private stopped = false;
  private nextRunAt: number | null = null;
  /** Stores waiting for their endpoint to answer again. */
  private readonly waiting = new Map<string, Set<string>>();
  private readonly reachability: Reachability;

  constructor(
    private readonly ctx: WatchDeps,
    private readonly options: WatchOptions = {},
  ) {
    this.reachability = new Reachability(
      (endpoint, online) => {
        if (!online) return;
        const ids = [...(this.waiting.get(endpoint) ?? [])];
        this.waiting.delete(endpoint);
        if (ids.length > 0) this.enqueue(ids, 'schedule').catch(() => undefined);
        this.changed();
      },
      options.probe,
    );
  }

  settings(): WatchSettings {
    return watchSettingsOf(this.ctx.repo);
  }

  setSettings(change: Partial<WatchSettings>): void {
    const next = { ...this.settings(), ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
    this.ctx.repo.setState(WATCH_SETTINGS_KEY, next);
    this.schedule();
    this.changed();
  }

  private intervalMs(): number {
    return this.options.intervalMs ?? this.settings().intervalMinutes * 60_000;
  }

  start(): void {
    this.stopped = false;
    this.schedule(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.reachability.stop();
    // A check in flight may wait on a slow Postscript; quitting waits for it a little, not for its timeout.
    await Promise.race([this.current, delay(STOP_WAIT_MS, undefined, { ref: false })]);
  }

  /** Plans the next scheduled run from the last one (a restart does not re-check at once). */
  private schedule(atStartup = false): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.nextRunAt = null;
    if (this.stopped || !this.settings().enabled) return;
    let last = this.ctx.repo.getState<string>(LAST_RUN_KEY) ?? this.ctx.repo.getState<string>(SINCE_KEY);
    if (last === null) {
      // A new installation: its stores were just set up, so the first check is one interval away.
      last = new Date().toISOString();
      this.ctx.repo.setState(SINCE_KEY, last);
    }
    const due = Date.parse(last) + this.intervalMs();
    const delay = Math.max(atStartup && this.options.intervalMs === undefined ? STARTUP_DELAY_MS : 0, due - Date.now());
    this.nextRunAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failed run (the app quitting mid-check) is not the agent's to hear about: the next one runs as planned.
      this.runNow(undefined, 'schedule')
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }

  /** Checks every active store now (or the one given), after any run in progress. */
  runNow(storeId?: string, cause: 'schedule' | 'manual' = 'manual'): Promise<void> {
    const ids =
      storeId !== undefined
        ? [storeId]
        : this.ctx.repo
            .listStores()
            .filter(isWatchedStore)
            .map((s) => s.id);
    if (storeId === undefined) this.ctx.repo.setState(LAST_RUN_KEY, new Date().toISOString());
    return this.enqueue(ids, cause);
  }

  private enqueue(ids: string[], cause: 'schedule' | 'manual'): Promise<void> {
    const run = this.current.then(() => this.cycle(ids, cause));
    this.current = run.catch(() => undefined);
    return run;
  }

  private async cycle(ids: string[], cause: 'schedule' | 'manual'): Promise<void> {
    if (this.stopped) return;
    this.running = true;
    this.changed();
    try {
      const queue = [...ids];
      const worker = async (): Promise<void> => {
        for (let id = queue.shift(); id !== undefined && !this.stopped; id = queue.shift()) await this.checkOne(id, cause);
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
      this.ctx.storeHealth.prune(new Date(Date.now() - HISTORY_DAYS * 86_400_000).toISOString());
    } finally {
      this.running = false;
      this.changed();
    }
  }

  private async checkOne(storeId: string, cause: 'schedule' | 'manual'): Promise<void> {
    const store = this.ctx.repo.getStore(storeId);
    if (store === undefined) return;
    // Saved while Postscript was out of reach: the deferred check judges the key first (and records
    // whose shop it is); until then a refusal here would be a guess, not a finding.
    if (needsCheck(store)) return;
    let endpoint: string;
    try {
      endpoint = baseUrlFor(this.ctx, store.account);
    } catch {
      return; // the Sandbox is not running: nothing to judge
    }
    if (this.reachability.isOffline(endpoint)) return this.wait(endpoint, storeId);
    let result;
    try {
      result = await probeStore(this.ctx, storeId, { full: false, source: 'health_watch' });
    } catch {
      return; // deleted meanwhile, or a fault that the next run may not meet
    }
    if (result.kind === 'offline') {
      this.wait(endpoint, storeId);
      this.reachability.markOffline(endpoint, result.reason);
      return;
    }
    if (result.kind === 'skipped') return;
    this.record(store.id, result.status, result.problems, cause);
  }

  private wait(endpoint: string, storeId: string): void {
    const set = this.waiting.get(endpoint) ?? new Set<string>();
    set.add(storeId);
    this.waiting.set(endpoint, set);
  }

  /**
   * Appends to the history. The alert for a store turning red is raised where Postscript's answer is
   * recorded (`postscript/evidence.ts`), whichever path asked, so it is raised once.
   */
  record(storeId: string, status: HealthStatus, problems: string[], cause: 'schedule' | 'manual'): void {
    if (this.ctx.storeHealth.record(storeId, status, problems, cause) === undefined) return;
    this.ctx.bus.emit('changed', { topics: ['storeHealth', 'stores'], storeId });
  }

  status(): WatchStatus {
    return {
      settings: this.settings(),
      running: this.running,
      lastRunAt: this.ctx.repo.getState<string>(LAST_RUN_KEY),
      nextRunAt: this.nextRunAt === null ? null : new Date(this.nextRunAt).toISOString(),
      waitingFor: [...this.waiting.keys()],
      notYetChecked: this.ctx.repo
        .listStores()
        .filter((s) => isWatchedStore(s) && needsCheck(s))
        .map((s) => ({ storeId: s.id, storeName: s.name })),
      intervalOverride: this.options.intervalMs === undefined ? null : { ms: this.options.intervalMs, setBy: this.options.intervalSetBy ?? 'a launch option' },
      // Each store's health now, from what Postscript last said about it, whichever path asked.
      stores: this.ctx.said.attentionAll(),
    };
  }

  private changed(): void {
    this.ctx.bus.emit('changed', { topics: ['storeHealth'] });
  }
}
