/** SQL for go-live: each store's health history, and the reads the readiness checks need. */
import type { Db } from './database';
import { prepared } from './prepared';

export type HealthStatus = 'green' | 'amber' | 'red';

export interface HealthRow {
  id: number;
  storeId: string;
  checkedAt: string;
  status: HealthStatus;
  problems: string[];
  /** What started the check: the watch's schedule or the agent (the column is store_health.trigger). */
  cause: 'schedule' | 'manual';
}

/** The newest delivered attempt of one event: the proof it reached Postscript. */
export interface DeliveredProof {
  eventKey: string;
  finishedAt: string | null;
  startedAt: string;
  responseStatus: number | null;
  responseBody: string | null;
  requestBody: string;
}

/** The newest attempt of one event, whatever its outcome. */
export interface LastAttempt {
  eventKey: string;
  outcome: string;
  startedAt: string;
  responseStatus: number | null;
  errorMessage: string | null;
}

type RawHealth = Omit<HealthRow, 'problems'> & { problemsJson: string };

const HEALTH_SELECT = `SELECT id, store_id AS storeId, checked_at AS checkedAt, status, problems_json AS problemsJson, trigger AS cause FROM store_health`;

function toHealth(raw: RawHealth): HealthRow {
  const { problemsJson, ...rest } = raw;
  return { ...rest, problems: JSON.parse(problemsJson) as string[] };
}

export class StoreHealthRepository {
  constructor(private readonly db: Db) {}

  record(storeId: string, status: HealthStatus, problems: string[], cause: 'schedule' | 'manual'): HealthRow | undefined {
    // The store may have been deleted while it was being checked: then there is nothing to record.
    const info = prepared(
      this.db,
      `INSERT INTO store_health (store_id, checked_at, status, problems_json, trigger) SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM stores WHERE id = ?)`,
    ).run(storeId, new Date().toISOString(), status, JSON.stringify(problems), cause, storeId);
    if (info.changes === 0) return undefined;
    return this.latest(storeId);
  }

  latest(storeId: string): HealthRow | undefined {
    const raw = prepared(this.db, `${HEALTH_SELECT} WHERE store_id = ? ORDER BY id DESC LIMIT 1`).get(storeId) as RawHealth | undefined;
    return raw === undefined ? undefined : toHealth(raw);
  }

  history(storeId: string, limit: number): HealthRow[] {
    return (prepared(this.db, `${HEALTH_SELECT} WHERE store_id = ? ORDER BY id DESC LIMIT ?`).all(storeId, limit) as RawHealth[]).map(toHealth);
  }

  /** The newest row of every store that has one. */
  latestPerStore(): HealthRow[] {
    return (
      prepared(this.db, `${HEALTH_SELECT} WHERE id IN (SELECT MAX(id) FROM store_health GROUP BY store_id)`).all() as RawHealth[]
    ).map(toHealth);
  }

  /** History older than this is dropped: a year of daily checks is plenty to show a trend. */
  prune(olderThanIso: string): number {
    return prepared(this.db, `DELETE FROM store_health WHERE checked_at < ?`).run(olderThanIso).changes;
  }

  deliveredProofs(storeId: string): DeliveredProof[] {
    return prepared(
      this.db,
      `SELECT d.event_key AS eventKey, d.finished_at AS finishedAt, d.started_at AS startedAt, d.response_status AS responseStatus,
              d.response_body AS responseBody, d.request_body AS requestBody
       FROM deliveries d
       WHERE d.id IN (SELECT MAX(id) FROM deliveries WHERE store_id = ? AND outcome = 'delivered' GROUP BY event_key)`,
    ).all(storeId) as DeliveredProof[];
  }

  lastAttempts(storeId: string): LastAttempt[] {
    return prepared(
      this.db,
      `SELECT d.event_key AS eventKey, d.outcome, d.started_at AS startedAt, d.response_status AS responseStatus, d.error_message AS errorMessage
       FROM deliveries d WHERE d.id IN (SELECT MAX(id) FROM deliveries WHERE store_id = ? GROUP BY event_key)`,
    ).all(storeId) as LastAttempt[];
  }

  /** The newest delivered attempt of the store, any event (for "a successful event within N days"). */
  lastSuccessAt(storeId: string): string | null {
    const row = prepared(this.db, `SELECT MAX(last_success_at) AS t FROM delivery_summary WHERE store_id = ?`).get(storeId) as { t: string | null };
    return row.t;
  }

  /** The newest delivered attempt of every store that has one. */
  lastSuccessPerStore(): Map<string, string> {
    const rows = prepared(this.db, `SELECT store_id AS storeId, MAX(last_success_at) AS t FROM delivery_summary WHERE last_success_at IS NOT NULL GROUP BY store_id`).all() as Array<{ storeId: string; t: string }>;
    return new Map(rows.map((r) => [r.storeId, r.t]));
  }

  /**
   * Attempts per time bucket and outcome (`bucketChars` of the ISO start: 10 = day, 13 = hour),
   * for the stores given, from `fromIso` on.
   */
  attemptsOverTime(storeIds: string[], fromIso: string, bucketChars: 10 | 13): Array<{ bucket: string; outcome: string; n: number }> {
    if (storeIds.length === 0) return [];
    const out: Array<{ bucket: string; outcome: string; n: number }> = [];
    for (const storeId of storeIds) {
      out.push(
        ...(prepared(
          this.db,
          `SELECT substr(started_at, 1, ${bucketChars}) AS bucket, outcome, COUNT(*) AS n FROM deliveries
           WHERE store_id = ? AND started_at >= ? GROUP BY bucket, outcome`,
        ).all(storeId, fromIso) as Array<{ bucket: string; outcome: string; n: number }>),
      );
    }
    return out;
  }

  firstAttemptAt(storeIds: string[]): string | null {
    let first: string | null = null;
    for (const storeId of storeIds) {
      const row = prepared(this.db, `SELECT MIN(started_at) AS t FROM deliveries WHERE store_id = ?`).get(storeId) as { t: string | null };
      if (row.t !== null && (first === null || row.t < first)) first = row.t;
    }
    return first;
  }

  /** The stores a batch sent to, with the counts of its items per state. */
  batchStores(batchId: string): Array<{ storeId: string; delivered: number; failed: number; other: number }> {
    return prepared(
      this.db,
      `SELECT store_id AS storeId, SUM(state = 'delivered') AS delivered, SUM(state = 'failed') AS failed,
              SUM(state NOT IN ('delivered', 'failed')) AS other
       FROM outbox WHERE batch_id = ? GROUP BY store_id`,
    ).all(batchId) as Array<{ storeId: string; delivered: number; failed: number; other: number }>;
  }

  batchName(batchId: string): string | undefined {
    return (prepared(this.db, `SELECT name FROM batches WHERE id = ?`).get(batchId) as { name: string } | undefined)?.name;
  }

  /** Attempts per event of a store, oldest event first (what the report's chart counts). */
  attemptsPerEvent(storeId: string): Array<{ eventKey: string; n: number }> {
    return prepared(this.db, `SELECT event_key AS eventKey, COUNT(*) AS n FROM deliveries WHERE store_id = ? GROUP BY event_key ORDER BY MIN(id)`).all(storeId) as Array<{ eventKey: string; n: number }>;
  }

  /** How many SKIP replies moved the test subscription's date (each queues one follow-up when it is on). */
  skipCount(storeId: string): number {
    return (prepared(this.db, `SELECT COUNT(*) AS n FROM inbound_webhooks WHERE store_id = ? AND action = 'skipped'`).get(storeId) as { n: number }).n;
  }

  /** The newest SKIP that moved the test subscription's date. */
  lastSkip(storeId: string): { receivedAt: string; beforeDate: string | null; afterDate: string | null; message: string | null } | undefined {
    return prepared(
      this.db,
      `SELECT received_at AS receivedAt, before_date AS beforeDate, after_date AS afterDate, message FROM inbound_webhooks
       WHERE store_id = ? AND action = 'skipped' ORDER BY id DESC LIMIT 1`,
    ).get(storeId) as { receivedAt: string; beforeDate: string | null; afterDate: string | null; message: string | null } | undefined;
  }

  /** Reads several statements as one consistent snapshot. */
  snapshot<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
