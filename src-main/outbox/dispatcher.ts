/**
 * Drains the outbox. Every send was written to SQLite before any I/O; this claims ready items
 * (marking them in flight), sends them, and records each attempt together with the item's next
 * state in one transaction. Paced per token by the app's one CompletionWindowLimiter
 * (ratelimit/completionWindow.ts), which it calls directly: tryAcquire before a send, release once
 * the answer is in, block after a 429. Tokens in parallel, bounded concurrency overall, keep-alive
 * connections (the client's shared undici agent). docs/architecture.md says which limiter paces what.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { OutboxRepository, OutboxRow } from '../db/outbox';
import type { Repository } from '../db/store';
import type { EventBus } from '../ipc/events';
import type { NetworkRoute } from '../network/route';
import { parseErrorBody } from '../postscript/client';
import { CompletionWindowLimiter } from '../ratelimit/completionWindow';
import type { SecretBox } from '../secrets/secretBox';
import { Reachability, type ProbeFn } from './reachability';
import { attemptOutcome, decide, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retryPolicy';
import { UnrecordedAnswers, type StorageGate, type UnrecordedSend } from './unrecorded';

export type { StorageGate, UnrecordedSend } from './unrecorded';
import { EndpointRoutes } from './endpointRoutes';
import { failQueued } from './failQueued';
import { StoreClients, type StoreClient } from './storeClients';
import { SettleBatcher } from './settleBatcher';
import { ChangeAnnouncer } from './changeAnnouncer';
import { RetryWaits, soonestTry } from './waits';
import { recordAttempt } from './recordAttempt';

export interface DispatcherOptions {
  /** Requests per window per token (Postscript: 15 per second). */
  ratePerToken?: number;
  windowMs?: number;
  maxConcurrent?: number;
  retry?: RetryPolicy;
  timeoutMs?: number;
  probe?: ProbeFn;
}

export interface DispatcherDeps {
  repo: Repository;
  outbox: OutboxRepository;
  secrets: SecretBox;
  bus: EventBus;
  /** Shared with the app's one-off calls, so together they stay under the limit. */
  pacer?: CompletionWindowLimiter;
  baseUrlFor(account: 'sandbox' | 'live'): string;
  storage?: StorageGate;
  /** The proxy/TLS route for an account (undefined: the shared direct pool). */
  routeFor?(account: 'sandbox' | 'live'): NetworkRoute | undefined;
}

/**
 * Requests in flight at once, over all tokens. By Little's law throughput is in-flight / round
 * trip: 48 was enough on loopback but holds 1,000 stores × 11 events to 240 requests/s at 200 ms
 * (46 s). 128 allows 640/s at 200 ms (17 s), about what the app's own work per send allows on a
 * laptop; each token's own pacing still holds it to 15 per (1 s + RTT). See docs/architecture.md,
 * "Latency".
 */
export const MAX_IN_FLIGHT = 128;

export const INTERRUPTED_MESSAGE =
  'The app stopped while this request was in flight: Postscript may or may not have received it. Resend it by hand if the event is missing.';

export class Dispatcher {
  private readonly limiter: CompletionWindowLimiter;
  private readonly reachability: Reachability;
  private readonly clients: StoreClients;
  private readonly inFlight = new Map<string, number>();
  private readonly settling = new Set<Promise<void>>();
  private totalInFlight = 0;
  private pumpQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private running = false;
  private readonly maxConcurrent: number;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly routes: EndpointRoutes;
  private readonly settles: SettleBatcher;
  private readonly onlineListeners = new Set<(endpoint: string) => void>();
  private readonly announcer: ChangeAnnouncer;
  private readonly unrecordedSends = new UnrecordedAnswers();
  private recoveryPending = false;

  constructor(
    private readonly deps: DispatcherDeps,
    options: DispatcherOptions = {},
  ) {
    this.limiter = deps.pacer ?? new CompletionWindowLimiter(options.ratePerToken ?? 15, options.windowMs ?? 1000);
    this.maxConcurrent = options.maxConcurrent ?? MAX_IN_FLIGHT;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.announcer = new ChangeAnnouncer(deps.bus);
    this.settles = new SettleBatcher((fn) => this.deps.outbox.transaction(fn));
    this.routes = new EndpointRoutes(deps.baseUrlFor, deps.routeFor?.bind(deps));
    this.clients = new StoreClients(deps, this.routes, this.timeoutMs);
    this.reachability = new Reachability((endpoint, online) => {
      this.announcer.announce(['outbox']);
      if (online) {
        this.pump();
        for (const l of this.onlineListeners) l(endpoint);
      }
    }, options.probe ?? this.routes.probe);
  }

  /** Recovers from a crash or quit, then starts draining. */
  start(): void {
    this.running = true;
    this.recoveryPending = true;
    this.resume();
  }

  /**
   * Starts (or restarts, once storage is healthy again) draining: first writes the answers kept in
   * memory, then the start-up recovery if it could not run yet, then sends. Does nothing while the
   * storage gate is closed; the gate calls this again when it opens.
   */
  resume(): void {
    if (!this.running || !this.gateOpen()) return;
    let changed: boolean;
    try {
      changed = this.unrecordedSends.recordAll() > 0;
      if (this.recoveryPending) {
        const interrupted = this.deps.outbox.recoverInFlight(INTERRUPTED_MESSAGE, this.endpoints());
        this.recoveryPending = false;
        changed ||= interrupted.length > 0;
      }
      changed = this.deps.outbox.completeFinishedBatches().length > 0 || changed;
    } catch (err) {
      if (this.deps.storage?.report(err, 'recording sends') == null) throw err;
      return;
    }
    // Only when something was written: an announcement for every store makes every list row refetch.
    if (changed) this.announcer.announce(['outbox', 'deliveries', 'batches', 'triggers']);
    this.pump();
  }

  /** Each account's endpoint, for attempts written without a request (a crash, a restore). */
  endpoints(): { sandbox: string; live: string } {
    return { sandbox: this.deps.baseUrlFor('sandbox'), live: this.deps.baseUrlFor('live') };
  }

  /** Sends whose answers are known but not yet written, oldest first. */
  unrecorded(): UnrecordedSend[] {
    return this.unrecordedSends.list();
  }

  /** Ids the app knows more about than the database does (for a restore: they are settled, not guessed). */
  unrecordedIds(): number[] {
    return this.unrecordedSends.ids();
  }

  private gateOpen(): boolean {
    return this.deps.storage?.allowed() ?? true;
  }

  /** Stops claiming new work and waits (bounded) for in-flight requests to settle. */
  async stop(graceMs = 5000): Promise<void> {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.reachability.stop();
    const all = Promise.all([...this.settling]);
    await Promise.race([all, sleep(graceMs)]);
    this.announcer.flush();
  }

  /** Resolves when no send is in flight. */
  async idle(): Promise<void> {
    while (this.settling.size > 0) await Promise.all([...this.settling]);
  }

  /** Forget cached clients (after a key rotation or a store's removal). */
  forget(storeId: string): void {
    this.clients.forget(storeId);
  }

  /** The network route changed (Settings): new clients, and unreachable endpoints are tried again now. */
  routeChanged(): void {
    this.clients.clear();
    this.routes.clear();
    this.reachability.probeNow();
  }

  /** "Retry now": probe unreachable endpoints without waiting for the next scheduled try. */
  retryNow(): void {
    this.reachability.probeNow();
  }

  /** Told when an endpoint that was out of reach answers again (the store checker listens). */
  onOnline(listener: (endpoint: string) => void): void {
    this.onlineListeners.add(listener);
  }

  /** Marks an endpoint unreachable from outside the outbox (a one-off call found it down). */
  markOffline(endpoint: string, reason: string): void {
    this.reachability.markOffline(endpoint, reason);
  }

  /** Why sends are being retried (Postscript's 429 or 5xx) and when next, per batch (waits.ts). */
  readonly retryWaits = new RetryWaits((batchId) =>
    soonestTry(this.deps.outbox.nextDue(batchId), (storeId) => {
      const sc = this.clients.cached(storeId);
      return sc === undefined ? null : this.limiter.nextFreeAt(sc.token);
    }),
  );

  offlineEndpoints(): ReturnType<Reachability['list']> {
    return this.reachability.list();
  }

  /** Schedules a drain pass soon; calls made in the same tick coalesce into one. */
  pump(): void {
    if (!this.running || this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.drain();
    });
  }

  private drain(): void {
    if (!this.running || !this.gateOpen()) return;
    try {
      this.drainOnce();
    } catch (err) {
      // A claim that cannot be written (full disk, damaged database) changed nothing: the items stay
      // queued and the gate resumes draining when storage is healthy again.
      if (this.deps.storage?.report(err, 'sending') == null) throw err;
    }
  }

  private drainOnce(): void {
    const now = Date.now();
    let wakeAt = Infinity;
    // Look at about as many stores as there is room for; if too many of them cannot send now
    // (pacing, offline, key unchecked), look further, up to all of them.
    const seen = new Set<string>();
    let limit = Math.max(32, 2 * (this.maxConcurrent - this.totalInFlight));
    for (;;) {
      const stores = this.deps.outbox.readyStores(now, limit);
      const fresh = stores.filter((s) => !seen.has(s));
      for (const s of fresh) seen.add(s);
      wakeAt = Math.min(wakeAt, this.drainStores(fresh, now));
      if (stores.length < limit || this.totalInFlight >= this.maxConcurrent) break;
      limit *= 4;
    }
    const nextReady = this.deps.outbox.nextReadyMs(now);
    if (nextReady !== null) wakeAt = Math.min(wakeAt, nextReady);
    this.wakeAt(wakeAt);
  }

  /** Claims and launches what these stores may send now; returns when a pacing slot frees next. */
  private drainStores(storeIds: string[], now: number): number {
    let wakeAt = Infinity;
    for (const storeId of storeIds) {
      if (this.totalInFlight >= this.maxConcurrent) break;
      let sc: StoreClient | null;
      try {
        sc = this.clients.get(storeId);
      } catch (err) {
        this.failStore(storeId, err instanceof Error ? err.message : String(err));
        continue;
      }
      if (sc === null) continue;
      if (this.reachability.isOffline(sc.endpoint)) continue;
      const room = Math.min(this.limiter.available(sc.token), this.maxConcurrent - this.totalInFlight);
      if (room > 0) {
        for (const item of this.deps.outbox.claim(storeId, now, room)) {
          this.limiter.tryAcquire(sc.token);
          this.launch(item, sc);
        }
      }
      // A slot frees either when a request finishes (which pumps) or when a window expires.
      const free = this.limiter.nextFreeAt(sc.token);
      if (free !== null && free > now) wakeAt = Math.min(wakeAt, free);
    }
    return wakeAt;
  }

  private wakeAt(at: number): void {
    if (!Number.isFinite(at) || !this.running) return;
    if (this.timer !== null && this.timerAt <= at) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - Date.now()));
  }

  private launch(item: OutboxRow, sc: StoreClient): void {
    this.totalInFlight += 1;
    this.inFlight.set(item.storeId, (this.inFlight.get(item.storeId) ?? 0) + 1);
    const p = this.send(item, sc)
      .finally(() => this.limiter.release(sc.token))
      .catch((err: unknown) => {
        process.stderr.write(`[outbox] item ${item.id}: ${err instanceof Error ? err.message : String(err)}\n`);
      })
      .finally(() => {
        this.totalInFlight -= 1;
        this.inFlight.set(item.storeId, (this.inFlight.get(item.storeId) ?? 1) - 1);
        this.settling.delete(p);
        this.pump();
      });
    this.settling.add(p);
  }

  private async send(item: OutboxRow, sc: StoreClient): Promise<void> {
    const body = JSON.parse(item.bodyJson) as Record<string, unknown>;
    const ex = await sc.client.exchange('POST', '/api/v2/events', body);
    const decision = decide(ex, item.attempts, this.retry);
    const parsedError = ex.response !== null && (ex.response.status < 200 || ex.response.status >= 300);
    let errorCode: number | null = null;
    let errorMessage: string | null = null;
    if (parsedError) {
      const p = parseErrorBody(ex.response!.body);
      errorCode = p.errorCode;
      errorMessage = p.message ?? `HTTP ${ex.response!.status}`;
    } else if (ex.failure !== null) {
      errorMessage = ex.failure.message;
    }
    const outcome = attemptOutcome(decision, ex.response?.status ?? null);
    const willRetry = decision.kind === 'retry' || decision.kind === 'offline';
    const delivery = {
      storeId: item.storeId,
      eventKey: item.eventKey,
      postscriptType: typeof body.type === 'string' ? body.type : (findSkioEvent(item.eventKey)?.postscriptType ?? item.eventKey),
      externalId: item.externalId,
      attempt: item.attempts,
      outcome,
      requestMethod: ex.request.method,
      requestUrl: ex.request.url,
      requestHeaders: ex.request.headers,
      requestBody: ex.request.body,
      responseStatus: ex.response?.status ?? null,
      responseBody: ex.response?.body ?? null,
      errorCode,
      errorMessage: decision.kind === 'failed' || decision.kind === 'uncertain' ? decision.reason : errorMessage,
      latencyMs: ex.latencyMs,
      startedAt: ex.startedAt,
      finishedAt: ex.finishedAt,
      outboxId: item.id,
      batchId: item.batchId,
      willRetry,
    } as const;

    // What the answer means for the token and the endpoint takes effect now, once: not again when
    // the group commit writes attempts one by one, nor when a kept answer is written after a full disk.
    if (decision.kind === 'retry' && decision.rateLimited) this.limiter.block(sc.token); // Postscript says slow down: the whole token waits
    if (decision.kind === 'offline') this.reachability.markOffline(sc.endpoint, decision.reason);
    const record = (): number | null => recordAttempt(this.deps.outbox, this.retryWaits, item, delivery, decision);
    try {
      // Group commit: attempts finishing together share one transaction (settleBatcher.ts).
      await this.settles.settle(() => {
        record();
      });
    } catch (err) {
      const message = this.deps.storage?.report(err, 'recording a send');
      if (message == null) throw err;
      // Postscript answered, but the answer cannot be written: keep it here, written when storage is back.
      this.unrecordedSends.keep(
        { itemId: item.id, storeId: item.storeId, eventKey: item.eventKey, outcome, status: ex.response?.status ?? null, at: ex.finishedAt, reason: message },
        record,
      );
    }
    // A delivered test can complete a store's setup: its row in the stores list changes.
    this.announcer.announce(decision.kind === 'delivered' ? ['deliveries', 'outbox', 'triggers', 'batches', 'sandbox', 'stores'] : ['deliveries', 'outbox', 'triggers', 'batches', 'sandbox'], item.storeId);
  }

  /** A store whose items cannot be sent at all (key unreadable): fail its queued items clearly. */
  private failStore(storeId: string, reason: string): void {
    failQueued(this.deps.outbox, storeId, reason);
    this.announcer.announce(['deliveries', 'outbox', 'triggers', 'batches'], storeId);
  }
}
