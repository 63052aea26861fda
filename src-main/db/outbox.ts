/**
 * SQL for the outbox and batches. Times are epoch milliseconds (arithmetic on them is the point).
 */
import type { Db } from './database';
import { prepared } from './prepared';
import { phoneOf, type NewDelivery } from './store';
import { markUncertainWithAttempts, type AccountEndpoints } from './uncertainAttempts';

export type OutboxState = 'queued' | 'in_flight' | 'delivered' | 'failed' | 'uncertain' | 'cancelled';
export type BatchStatus = 'running' | 'paused' | 'cancelled' | 'done';

export interface OutboxRow {
  id: number;
  storeId: string;
  storeName: string;
  eventKey: string;
  batchId: string | null;
  bodyJson: string;
  externalId: string;
  state: OutboxState;
  attempts: number;
  nextAttemptMs: number;
  lastError: string | null;
  createdMs: number;
  finishedMs: number | null;
}

export interface NewOutboxItem {
  storeId: string;
  eventKey: string;
  batchId: string | null;
  bodyJson: string;
  externalId: string;
}

export interface BatchRow {
  id: string;
  name: string;
  status: BatchStatus;
  createdMs: number;
  finishedMs: number | null;
  rerunOf: string | null;
  /** A teammate's batch (team mode); null: this console's own. */
  agentId: string | null;
}

export type StateCounts = Record<OutboxState, number>;

const ITEM_SELECT = `
  SELECT o.id, o.store_id AS storeId, s.name AS storeName, o.event_key AS eventKey, o.batch_id AS batchId,
         o.body_json AS bodyJson, o.external_id AS externalId, o.state, o.attempts,
         o.next_attempt_ms AS nextAttemptMs, o.last_error AS lastError, o.created_ms AS createdMs,
         o.finished_ms AS finishedMs
  FROM outbox o JOIN stores s ON s.id = o.store_id`;

/** ITEM_SELECT through the store's index (see `claim`). */
const CLAIM_SELECT = ITEM_SELECT.replace('FROM outbox o', 'FROM outbox o INDEXED BY outbox_store_ready');

const BATCH_SELECT = `SELECT id, name, status, created_ms AS createdMs, finished_ms AS finishedMs, rerun_of AS rerunOf, agent_id AS agentId FROM batches`;

export function emptyCounts(): StateCounts {
  return { queued: 0, in_flight: 0, delivered: 0, failed: 0, uncertain: 0, cancelled: 0 };
}

export class OutboxRepository {
  constructor(private readonly db: Db) {}

  /** Writes a batch (optional) and its items in one transaction; returns the new item ids. */
  enqueue(items: readonly NewOutboxItem[], batch?: { id: string; name: string; rerunOf?: string | null }): number[] {
    const now = Date.now();
    const insert = prepared(this.db, 
      `INSERT INTO outbox (store_id, event_key, batch_id, body_json, external_id, state, next_attempt_ms, created_ms)
       VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)`,
    );
    return this.db.transaction(() => {
      if (batch !== undefined) {
        prepared(this.db, `INSERT INTO batches (id, name, status, created_ms, rerun_of) VALUES (?, ?, 'running', ?, ?)`)
          .run(batch.id, batch.name, now, batch.rerunOf ?? null);
      }
      return items.map((i) => Number(insert.run(i.storeId, i.eventKey, i.batchId, i.bodyJson, i.externalId, now, now).lastInsertRowid));
    })();
  }

  /**
   * At start-up: anything left in flight by a crash or quit may have reached Postscript. Each
   * becomes uncertain with an attempt in the log saying so (uncertainAttempts.ts).
   */
  recoverInFlight(message: string, endpoints: AccountEndpoints): number[] {
    return markUncertainWithAttempts(this.db, `o.state = 'in_flight'`, message, endpoints);
  }

  /**
   * After a restore from a backup: what the backup still shows as waiting may have gone out since
   * it was taken, and Postscript does not deduplicate, so it is uncertain rather than sent again,
   * with an attempt in the log. `exceptIds` are sends whose answers the app still holds (they are
   * recorded as answered).
   */
  markUncertainAfterRestore(message: string, exceptIds: readonly number[], endpoints: AccountEndpoints): number {
    return markUncertainWithAttempts(this.db, `o.state IN ('queued', 'in_flight')`, message, endpoints, new Set(exceptIds)).length;
  }

  /**
   * Stores that have items ready to send now (not in a paused or cancelled batch), those waiting
   * longest first, at most `limit` of them. The dispatcher asks for about as many as it has room
   * for: with 1,000 stores queued, reading all of them on every finished request cost more than the
   * sends themselves.
   */
  readyStores(nowMs: number, limit = -1): string[] {
    return (
      prepared(this.db, 
          `SELECT DISTINCT o.store_id AS storeId FROM outbox o
           LEFT JOIN batches b ON b.id = o.batch_id
           WHERE o.state = 'queued' AND o.next_attempt_ms <= ? AND (b.status IS NULL OR b.status = 'running')
           LIMIT ?`,
        )
        .all(nowMs, limit) as Array<{ storeId: string }>
    ).map((r) => r.storeId);
  }

  /**
   * When the next queued item after `afterMs` becomes ready (for the dispatcher's timer), or null.
   * Read from the index alone: an item of a paused batch may wake the dispatcher for nothing, once.
   */
  nextReadyMs(afterMs: number): number | null {
    const row = prepared(this.db, `SELECT MIN(next_attempt_ms) AS t FROM outbox WHERE state = 'queued' AND next_attempt_ms > ?`).get(afterMs) as {
      t: number | null;
    };
    return row.t;
  }

  /**
   * Claims up to `limit` ready items of one store, oldest first, marking them in flight.
   * INDEXED BY the store's index: left to itself SQLite walked every ready item of every store
   * (`outbox_ready`) to find this store's few, so each claim cost as much as the whole queue, and a
   * 5,000-store batch spent most of its time here (docs/benchmarks.md, "5,000 stores").
   */
  claim(storeId: string, nowMs: number, limit: number): OutboxRow[] {
    return this.db.transaction(() => {
      const rows = prepared(this.db, 
          `${CLAIM_SELECT} LEFT JOIN batches b ON b.id = o.batch_id
           WHERE o.store_id = ? AND o.state = 'queued' AND o.next_attempt_ms <= ? AND (b.status IS NULL OR b.status = 'running')
           ORDER BY o.id LIMIT ?`,
        )
        .all(storeId, nowMs, limit) as OutboxRow[];
      // While in flight, next_attempt_ms is when it was sent: a crash's uncertain attempt says so.
      const mark = prepared(this.db, `UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, next_attempt_ms = ? WHERE id = ?`);
      for (const r of rows) {
        mark.run(nowMs, r.id);
        r.state = 'in_flight';
        r.attempts += 1;
      }
      return rows;
    })();
  }

  /**
   * Records one attempt and the item's next state together, so the log and the outbox never
   * disagree. `requeueAtMs` puts it back in the queue; `countAttempt: false` gives back the attempt
   * (a connection that never opened is not a try).
   */
  settle(
    itemId: number,
    delivery: NewDelivery & { outboxId: number; batchId: string | null; willRetry: boolean },
    next: { state: 'delivered' | 'failed' | 'uncertain' } | { state: 'queued'; requeueAtMs: number; countAttempt: boolean },
    lastError: string | null,
  ): number | null {
    return this.db.transaction(() => {
      const exists = prepared(this.db, `SELECT 1 FROM outbox WHERE id = ?`).get(itemId);
      if (exists === undefined) return null; // store deleted meanwhile
      const id = Number(
        prepared(this.db, 
            `INSERT INTO deliveries (store_id, event_key, postscript_type, external_id, attempt, outcome, request_method,
               request_url, request_headers_json, request_body, response_status, response_body, error_code, error_message,
               latency_ms, started_at, finished_at, outbox_id, batch_id, will_retry, phone)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            delivery.storeId,
            delivery.eventKey,
            delivery.postscriptType,
            delivery.externalId,
            delivery.attempt,
            delivery.outcome,
            delivery.requestMethod,
            delivery.requestUrl,
            JSON.stringify(delivery.requestHeaders),
            delivery.requestBody,
            delivery.responseStatus,
            delivery.responseBody,
            delivery.errorCode,
            delivery.errorMessage,
            delivery.latencyMs,
            delivery.startedAt,
            delivery.finishedAt,
            delivery.outboxId,
            delivery.batchId,
            delivery.willRetry ? 1 : 0,
            phoneOf(delivery.requestBody),
          ).lastInsertRowid,
      );
      if (next.state === 'queued') {
        prepared(this.db, `UPDATE outbox SET state = 'queued', next_attempt_ms = ?, last_error = ?, attempts = attempts - ? WHERE id = ?`)
          .run(next.requeueAtMs, lastError, next.countAttempt ? 0 : 1, itemId);
      } else {
        prepared(this.db, `UPDATE outbox SET state = ?, last_error = ?, finished_ms = ? WHERE id = ?`)
          .run(next.state, lastError, Date.now(), itemId);
      }
      return id;
    })();
  }

  /** Runs several writes (settles) as one transaction. */
  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }

  getItem(id: number): OutboxRow | undefined {
    return prepared(this.db, `${ITEM_SELECT} WHERE o.id = ?`).get(id) as OutboxRow | undefined;
  }

  /** Keyset-paged items of a batch, in the order they were queued. */
  batchItems(batchId: string, afterId: number, limit: number): OutboxRow[] {
    if (this.getBatch(batchId)?.agentId != null) {
      // A teammate's batch: its items as their console reported them (team mode), keyed by rowid.
      return prepared(
        this.db,
        `SELECT t.rowid AS id, t.store_id AS storeId, s.name AS storeName, t.event_key AS eventKey, t.batch_id AS batchId, '{}' AS bodyJson,
                t.external_id AS externalId, t.state, t.attempts, 0 AS nextAttemptMs, t.last_error AS lastError, t.created_ms AS createdMs,
                t.finished_ms AS finishedMs
         FROM team_outbox t JOIN stores s ON s.id = t.store_id WHERE t.batch_id = ? AND t.rowid > ? ORDER BY t.rowid LIMIT ?`,
      ).all(batchId, afterId, limit) as OutboxRow[];
    }
    return prepared(this.db, `${ITEM_SELECT} WHERE o.batch_id = ? AND o.id > ? ORDER BY o.id LIMIT ?`).all(batchId, afterId, limit) as OutboxRow[];
  }

  /** A teammate's items of a batch in these states, as their console reported them (for taking over a re-run). */
  teammateItemsIn(batchId: string, states: readonly OutboxState[]): Array<{ storeId: string; eventKey: string; externalId: string }> {
    return prepared(this.db, `SELECT store_id AS storeId, event_key AS eventKey, external_id AS externalId FROM team_outbox WHERE batch_id = ? AND state IN (${states.map(() => '?').join(',')}) ORDER BY rowid`)
      .all(batchId, ...states) as Array<{ storeId: string; eventKey: string; externalId: string }>;
  }

  /** Items of a batch that ended failed or uncertain (for "re-run failed"). */
  batchItemsIn(batchId: string, states: readonly OutboxState[]): OutboxRow[] {
    return prepared(this.db, `${ITEM_SELECT} WHERE o.batch_id = ? AND o.state IN (${states.map(() => '?').join(',')}) ORDER BY o.id`)
      .all(batchId, ...states) as OutboxRow[];
  }

  /**
   * Items per state: of one batch (with a teammate's half from team_outbox), or, without one, the
   * queued, in-flight and uncertain items of the whole outbox. Read from `outbox_counts`, which
   * triggers keep (migration 12), so the cost does not grow with the queue.
   */
  counts(batchId?: string): StateCounts {
    const rows = (
      batchId === undefined
        ? prepared(this.db, `SELECT state, SUM(n) AS n FROM outbox_counts WHERE state IN ('queued', 'in_flight', 'uncertain') GROUP BY state`).all()
        : // A teammate's batch: its items are in team_outbox (theirs to send), shown, never sent here.
          prepared(
            this.db,
            `SELECT state, SUM(n) AS n FROM (SELECT state, n FROM outbox_counts WHERE batch_key = ? UNION ALL SELECT state, COUNT(*) AS n FROM team_outbox WHERE batch_id = ? GROUP BY state) GROUP BY state`,
          ).all(batchId, batchId)
    ) as Array<{ state: OutboxState; n: number }>;
    const out = emptyCounts();
    for (const r of rows) out[r.state] = r.n;
    return out;
  }

  /** Queued items held back because their batch is paused: waiting, but not being sent. */
  heldInPausedBatches(): number {
    return (
      prepared(this.db, `SELECT COALESCE(SUM(c.n), 0) AS n FROM outbox_counts c JOIN batches b ON b.id = c.batch_key WHERE c.state = 'queued' AND b.status = 'paused'`).get() as {
        n: number;
      }
    ).n;
  }

  /** How many items of a batch finished since `sinceMs` (for its rate). */
  finishedSince(batchId: string, sinceMs: number): number {
    return (prepared(this.db, `SELECT COUNT(*) AS n FROM outbox WHERE batch_id = ? AND finished_ms >= ?`).get(batchId, sinceMs) as { n: number }).n;
  }

  getBatch(id: string): BatchRow | undefined {
    return prepared(this.db, `${BATCH_SELECT} WHERE id = ?`).get(id) as BatchRow | undefined;
  }

  listBatches(limit: number): BatchRow[] {
    return prepared(this.db, `${BATCH_SELECT} ORDER BY created_ms DESC, id LIMIT ?`).all(limit) as BatchRow[];
  }

  setBatchStatus(id: string, status: BatchStatus): void {
    prepared(this.db, `UPDATE batches SET status = ?, finished_ms = CASE WHEN ? IN ('cancelled', 'done') THEN ? ELSE finished_ms END WHERE id = ?`)
      .run(status, status, Date.now(), id);
  }

  /** Cancels what has not started; in-flight items finish. Returns how many were cancelled. */
  cancelQueued(batchId: string): number {
    return this.db.transaction(() => {
      const n = prepared(this.db, `UPDATE outbox SET state = 'cancelled', finished_ms = ?, last_error = 'Cancelled by the agent' WHERE batch_id = ? AND state = 'queued'`)
        .run(Date.now(), batchId).changes;
      this.setBatchStatus(batchId, 'cancelled');
      return n;
    })();
  }

  /** Running batches with nothing left queued or in flight become done. Returns their ids. */
  completeFinishedBatches(): string[] {
    const ids = (
      prepared(this.db, 
          `SELECT b.id FROM batches b WHERE b.status IN ('running', 'paused') AND b.agent_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.batch_id = b.id AND o.state IN ('queued', 'in_flight'))`,
        )
        .all() as Array<{ id: string }>
    ).map((r) => r.id);
    for (const id of ids) this.setBatchStatus(id, 'done');
    return ids;
  }

  /** Per store, when the batch's earliest queued item is due (the outbox tries none of them sooner). */
  nextDue(batchId: string): Array<{ storeId: string; atMs: number }> {
    return prepared(this.db, `SELECT store_id AS storeId, MIN(next_attempt_ms) AS atMs FROM outbox WHERE batch_id = ? AND state = 'queued' GROUP BY store_id`).all(batchId) as Array<{
      storeId: string;
      atMs: number;
    }>;
  }

  /** The reason most of the batch's failed items ended with, and how many ended with it. */
  topFailure(batchId: string): { reason: string; count: number } | null {
    const row = prepared(
      this.db,
      `SELECT COALESCE(last_error, 'no reason recorded') AS reason, COUNT(*) AS count FROM outbox WHERE batch_id = ? AND state = 'failed' GROUP BY reason ORDER BY count DESC, reason LIMIT 1`,
    ).get(batchId) as { reason: string; count: number } | undefined;
    return row ?? null;
  }
}
