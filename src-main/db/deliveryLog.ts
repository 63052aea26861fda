/**
 * Reading the delivery log at scale: filtered, keyset-paged lists (newest first, never OFFSET),
 * trigram full-text search, the per-event summary, a time histogram, size and pruning.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Db } from './database';
import { prepared } from './prepared';
import type { DeliveryRow } from './store';

export interface LogFilter {
  storeId?: string;
  eventKey?: string;
  outcome?: string;
  status?: number;
  batchId?: string;
  /** 'me' (this console's agent) or a teammate's agent id. */
  agent?: string;
  /** ISO timestamps: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  /** 3+ characters found in external_id, phone or error message. */
  q?: string;
}

/** A list row: everything but the request and response bodies and headers. */
export interface LogRow {
  id: number;
  storeId: string;
  storeName: string;
  eventKey: string;
  externalId: string;
  phone: string | null;
  attempt: number;
  outcome: DeliveryRow['outcome'];
  responseStatus: number | null;
  errorCode: number | null;
  errorMessage: string | null;
  latencyMs: number | null;
  startedAt: string;
  batchId: string | null;
  outboxId: number | null;
  willRetry: boolean;
  agentId: string | null;
}

export interface SummaryRow {
  storeId: string;
  storeName: string;
  eventKey: string;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastFailureMessage: string | null;
  attempts: number;
}

const LIST_COLUMNS = `d.id, d.store_id AS storeId, s.name AS storeName, d.event_key AS eventKey, d.external_id AS externalId,
  d.phone, d.attempt, d.outcome, d.response_status AS responseStatus, d.error_code AS errorCode,
  d.error_message AS errorMessage, d.latency_ms AS latencyMs, d.started_at AS startedAt, d.batch_id AS batchId,
  d.outbox_id AS outboxId, d.will_retry AS willRetry, d.agent_id AS agentId`;

const FULL_COLUMNS = `${LIST_COLUMNS}, d.postscript_type AS postscriptType, d.request_method AS requestMethod,
  d.request_url AS requestUrl, d.request_headers_json AS requestHeadersJson, d.request_body AS requestBody,
  d.response_body AS responseBody, d.finished_at AS finishedAt`;

/** An FTS5 phrase: the text as typed, quotes doubled, matched anywhere (trigram). */
export function ftsPhrase(q: string): string {
  return `"${q.replace(/"/g, '""')}"`;
}

export type SearchKind = { kind: 'phone'; e164: string } | { kind: 'external_id'; prefix: string } | { kind: 'text'; q: string };

/**
 * What the agent typed: a phone (any format, matched exactly in E.164), an external_id (or its
 * start), or words from an error message.
 */
export function classifySearch(q: string): SearchKind {
  const t = q.trim();
  if (/^[\d\s+().-]+$/.test(t) && t.replace(/\D/g, '').length >= 7) {
    const parsed = parsePhoneNumberFromString(t, 'US');
    if (parsed !== undefined && parsed.isPossible()) return { kind: 'phone', e164: parsed.number };
  }
  if (/^psc-/i.test(t) || /^[0-9a-f]{8}-[0-9a-f-]*$/i.test(t)) return { kind: 'external_id', prefix: t };
  return { kind: 'text', q: t };
}

/** WHERE clauses and parameters for a filter, on alias d (and f for the search table). */
export function whereFor(
  filter: LogFilter,
  beforeId?: number,
): { from: string; where: string[]; params: Array<string | number>; order: string } {
  const where: string[] = [];
  const params: Array<string | number> = [];
  let from = 'deliveries d JOIN stores s ON s.id = d.store_id';
  let order = 'd.id DESC';
  const search = filter.q === undefined ? undefined : classifySearch(filter.q);
  const timed = filter.from !== undefined || filter.to !== undefined;
  if (search?.kind === 'text') {
    // Starting from the search index keeps "newest matches first" cheap even for common words.
    from = 'deliveries_fts f JOIN deliveries d ON d.id = f.rowid JOIN stores s ON s.id = d.store_id';
    where.push('deliveries_fts MATCH ?');
    params.push(ftsPhrase(search.q));
    order = 'f.rowid DESC';
    if (beforeId !== undefined) {
      where.push('f.rowid < ?');
      params.push(beforeId);
    }
  } else if (timed && search === undefined) {
    // Walk the time index newest first; the key is (started_at, id) of the last row shown.
    order = 'd.started_at DESC, d.id DESC';
    if (beforeId !== undefined) {
      where.push('(d.started_at < (SELECT started_at FROM deliveries WHERE id = ?) OR (d.started_at = (SELECT started_at FROM deliveries WHERE id = ?) AND d.id < ?))');
      params.push(beforeId, beforeId, beforeId);
    }
  } else if (beforeId !== undefined) {
    where.push('d.id < ?');
    params.push(beforeId);
  }
  if (search?.kind === 'phone') {
    where.push('d.phone = ?');
    params.push(search.e164);
  } else if (search?.kind === 'external_id') {
    where.push('d.external_id >= ? AND d.external_id < ?');
    params.push(search.prefix, `${search.prefix}\uffff`);
  }
  const eq: Array<[string, string | number | undefined]> = [
    ['d.store_id', filter.storeId],
    ['d.event_key', filter.eventKey],
    ['d.outcome', filter.outcome],
    ['d.response_status', filter.status],
    ['d.batch_id', filter.batchId],
  ];
  for (const [col, v] of eq) {
    if (v !== undefined) {
      where.push(`${col} = ?`);
      params.push(v);
    }
  }
  if (filter.agent === 'me') where.push('d.agent_id IS NULL');
  else if (filter.agent !== undefined) {
    where.push('d.agent_id = ?');
    params.push(filter.agent);
  }
  if (filter.from !== undefined) {
    where.push('d.started_at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('d.started_at < ?');
    params.push(filter.to);
  }
  return { from, where, params, order };
}

type RawList = Omit<LogRow, 'willRetry'> & { willRetry: number };
const toList = (r: RawList): LogRow => ({ ...r, willRetry: r.willRetry === 1 });

export class DeliveryLog {
  constructor(private readonly db: Db) {}

  page(filter: LogFilter, beforeId: number | undefined, limit: number): LogRow[] {
    const { from, where, params, order } = whereFor(filter, beforeId);
    const sql = `SELECT ${LIST_COLUMNS} FROM ${from} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    return (prepared(this.db, sql).all(...params, limit) as RawList[]).map(toList);
  }

  /** Full rows (bodies and masked headers) in keyset chunks, for exports. */
  chunk(filter: LogFilter, beforeId: number | undefined, limit: number): Array<DeliveryRow & { phone: string | null }> {
    const { from, where, params, order } = whereFor(filter, beforeId);
    const sql = `SELECT ${FULL_COLUMNS} FROM ${from} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    return (prepared(this.db, sql).all(...params, limit) as Array<RawList & { requestHeadersJson: string }>).map(({ requestHeadersJson, willRetry, ...r }) => ({
      ...(r as unknown as DeliveryRow),
      phone: r.phone,
      willRetry: willRetry === 1,
      requestHeaders: JSON.parse(requestHeadersJson) as Record<string, string>,
    }));
  }

  summary(storeId?: string): SummaryRow[] {
    return prepared(this.db, 
        `SELECT ds.store_id AS storeId, s.name AS storeName, ds.event_key AS eventKey, ds.last_success_at AS lastSuccessAt,
                ds.last_failure_at AS lastFailureAt, ds.last_failure_message AS lastFailureMessage, ds.attempts
         FROM delivery_summary ds JOIN stores s ON s.id = ds.store_id
         ${storeId === undefined ? '' : 'WHERE ds.store_id = ?'}
         ORDER BY s.name COLLATE NOCASE, ds.event_key`,
      )
      .all(...(storeId === undefined ? [] : [storeId])) as SummaryRow[];
  }

  /** Attempts per hour and outcome since `fromIso` (the chart). */
  histogram(fromIso: string, storeId?: string): Array<{ hour: string; outcome: string; n: number }> {
    return prepared(this.db, 
        `SELECT substr(started_at, 1, 13) AS hour, outcome, COUNT(*) AS n FROM deliveries
         WHERE started_at >= ? ${storeId === undefined ? '' : 'AND store_id = ?'} GROUP BY hour, outcome ORDER BY hour`,
      )
      .all(fromIso, ...(storeId === undefined ? [] : [storeId])) as Array<{ hour: string; outcome: string; n: number }>;
  }

  /** Bytes the database takes on disk (main file and write-ahead log). */
  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }

  oldestStartedAt(): string | null {
    return (prepared(this.db, `SELECT started_at AS t FROM deliveries ORDER BY id LIMIT 1`).get() as { t: string } | undefined)?.t ?? null;
  }

  /** Deletes up to `limit` of the oldest attempts started before the cutoff; returns how many. */
  pruneChunk(cutoffIso: string, limit: number): number {
    return prepared(this.db, `DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE started_at < ? ORDER BY started_at LIMIT ?)`)
      .run(cutoffIso, limit).changes;
  }
}
