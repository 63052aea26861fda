/**
 * The sync worker: keeps one connection for queries and one for LISTEN, pushes waiting changes,
 * pulls teammates' changes from the cursor, and says how it is doing. It re-reads from the cursor
 * on connect, on every wake-up (a NOTIFY, a local change) and on a slow timer, because NOTIFY is
 * only a hint: it is lost while disconnected. Failures never reach the local console: it keeps
 * working from SQLite and the worker retries with a capped backoff.
 */
import type pg from 'pg';
import { ApplyPaused, type SyncRepository } from '../db/syncRepo';
import type { SecretBox } from '../secrets/secretBox';
import { connectTeam, explainPgError, type TeamConnection } from './pgConnect';
import { migrateTeamSchema } from './pgMigrations';
import { pullAll, verifyCursor } from './pull';
import { pushOnce } from './push';
import type { TeamSecretBox } from './teamKey';

export type SyncState = 'off' | 'connecting' | 'connected' | 'offline';

export interface SyncStatus {
  state: SyncState;
  /** When the console last lost (or never had) the team database. */
  offlineSince: string | null;
  message: string | null;
  lastSyncAt: string | null;
}

export interface SyncWorkerDeps {
  sync: SyncRepository;
  secrets: SecretBox;
  team: TeamSecretBox;
  /** Called after teammates' changes were applied (entities that changed) or the status moved. */
  onApplied(entities: Set<string>): void;
  onStatus(): void;
  /** Runs once connected, before the first push (the team's id, the team key check). */
  onConnected?(client: pg.Client): Promise<void>;
  /** Runs before each round (teammates' names, the team key's version). */
  eachRound?(client: pg.Client): Promise<void>;
  /** Slow timer between re-reads when nothing wakes the worker. */
  pollMs?: number;
  /** Test hook, passed to push. */
  afterPushCommit?: () => void;
}

const MAX_BACKOFF_MS = 5000;

export class SyncWorker {
  status: SyncStatus = { state: 'off', offlineSince: null, message: null, lastSyncAt: null };
  /** The message shown while teammates' changes could not be saved here (cleared once they are). */
  private pausedMessage: string | null = null;
  private client: pg.Client | null = null;
  private listener: pg.Client | null = null;
  private running = false;
  private wakeRequested = false;
  private wakeResolve: (() => void) | null = null;
  /** Ends a backoff sleep early: stop(), or the agent pressing "reconnect". */
  private sleepResolve: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;
  private conn: TeamConnection | null = null;
  /** The login this console signs in with: PostgreSQL writes it as the author of our rows. */
  login: string | null = null;

  constructor(private readonly deps: SyncWorkerDeps) {}

  start(conn: TeamConnection): void {
    this.conn = conn;
    if (this.running) return;
    this.running = true;
    this.setStatus({ state: 'connecting', message: null });
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    this.sleepResolve?.();
    await this.dropConnections();
    await this.loopDone;
    this.loopDone = null;
    this.setStatus({ state: 'off', offlineSince: null, message: null });
  }

  /** Tries to connect now instead of at the end of the backoff. */
  retryNow(): void {
    this.sleepResolve?.();
  }

  /** Something changed here or there: sync soon. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeResolve?.();
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    this.deps.onStatus();
  }

  private async loop(): Promise<void> {
    let backoff = 250;
    while (this.running) {
      try {
        await this.connect();
        backoff = 250;
        while (this.running) {
          await this.syncRound();
          await this.waitForWake(this.deps.pollMs ?? 5000);
          if (this.client === null) throw new Error('Connection ended');
        }
      } catch (err) {
        await this.dropConnections();
        if (!this.running) break;
        this.setStatus({
          state: 'offline',
          offlineSince: this.status.offlineSince ?? new Date().toISOString(),
          message: explainPgError(err, this.conn?.url ?? ''),
        });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, backoff);
          function done(): void {
            clearTimeout(timer);
            resolve();
          }
          this.sleepResolve = done;
        });
        this.sleepResolve = null;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private async connect(): Promise<void> {
    const conn = this.conn!;
    this.client = await connectTeam(conn);
    this.client.on('error', () => this.lost());
    this.client.on('end', () => this.lost());
    this.login = (await this.client.query<{ u: string }>('SELECT session_user AS u')).rows[0]!.u;
    await migrateTeamSchema(this.client);
    this.listener = await connectTeam(conn);
    this.listener.on('error', () => this.lost());
    this.listener.on('end', () => this.lost());
    // LISTEN first, then catch up from the cursor: a change committed in between is read either way.
    this.listener.on('notification', () => this.wake());
    await this.listener.query('LISTEN postscript_team');
    await this.deps.onConnected?.(this.client);
    const drifted = await verifyCursor(this.client, this.deps.sync);
    this.setStatus({
      state: 'connected',
      offlineSince: null,
      message: drifted ? 'This console’s place in the team history did not add up; it is reading the team database again from the start (nothing is applied twice).' : null,
    });
  }

  private lost(): void {
    this.client = null;
    this.wake();
  }

  private async syncRound(): Promise<void> {
    const client = this.client;
    if (client === null) throw new Error('Connection ended');
    const agentId = this.deps.sync.agentId();
    await this.deps.eachRound?.(client);
    while ((await pushOnce(client, { sync: this.deps.sync, secrets: this.deps.secrets, team: this.deps.team, agentId, ...(this.deps.afterPushCommit === undefined ? {} : { afterCommit: this.deps.afterPushCommit }) })) > 0) {
      this.deps.onStatus();
    }
    try {
      await pullAll(client, this.deps.sync, { node: agentId, login: this.login }, (r) => {
        if (r.entities.size > 0) this.deps.onApplied(r.entities);
        if (r.rejected.length > 0) this.deps.onStatus();
      });
    } catch (err) {
      // A local, passing failure (busy database, full disk): the connection is fine and the cursor
      // did not move; say so and let the next round try the same changes again.
      if (!(err instanceof ApplyPaused)) throw err;
      this.pausedMessage = err.message;
      this.setStatus({ message: err.message });
      return;
    }
    const cleared = this.pausedMessage !== null && this.status.message === this.pausedMessage;
    this.pausedMessage = null;
    this.setStatus({ lastSyncAt: new Date().toISOString(), ...(cleared ? { message: null } : {}) });
  }

  private async waitForWake(ms: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeResolve = done;
    });
    this.wakeResolve = null;
    this.wakeRequested = false;
  }

  private async dropConnections(): Promise<void> {
    const clients = [this.client, this.listener];
    this.client = null;
    this.listener = null;
    await Promise.all(clients.map((c) => c?.end().catch(() => undefined)));
  }
}
