/** Reads for the team views: who set each store up, who touched it last, who changed what. */
import type { Db } from './database';
import { hlcMs } from './syncApply';
import { prepared } from './prepared';
import { CONFLICT_SELECT, type ConflictRow } from './syncRepo';
import { fieldLabel, valueWords } from '../../src-shared/teamConflict';

export interface HistoryEntry {
  field: string;
  agent: string;
  at: string;
  /** This value was replaced by a teammate's concurrent edit (the later one, kept). */
  replaced?: { value: string; by: string; byValue: string; at: string };
}

export interface StoreActivityRow {
  storeId: string;
  createdBy: string | null;
  createdByMe: boolean;
  lastBy: string | null;
  lastAt: string | null;
}

const toIso = (hlc: string | null): string | null => (hlc === null || hlc === '' ? null : new Date(hlcMs(hlc)).toISOString());

export class SyncViews {
  constructor(private readonly db: Db) {}

  agents(): Array<{ id: string; name: string; me: boolean }> {
    const me = (prepared(this.db, `SELECT node FROM sync_clock WHERE id = 1`).get() as { node: string }).node;
    const rows = prepared(this.db, `SELECT id, name FROM sync_agents ORDER BY name COLLATE NOCASE`).all() as Array<{ id: string; name: string }>;
    return rows.map((r) => ({ ...r, me: r.id === me }));
  }

  storeActivity(): StoreActivityRow[] {
    const rows = prepared(
      this.db,
      `WITH last AS (
         -- SQLite takes agent_id from the row holding MAX(hlc): who made the latest change.
         SELECT CASE WHEN entity = 'store' THEN row_id ELSE substr(row_id, 1, instr(row_id, '/') - 1) END AS store_id, MAX(hlc) AS hlc, agent_id
         FROM sync_fields WHERE entity IN ('store', 'trigger') GROUP BY 1)
       SELECT s.id AS storeId, c.agent_id AS createdById, ca.name AS createdBy, l.hlc AS lastHlc, la.name AS lastBy
       FROM stores s
       LEFT JOIN sync_fields c ON c.entity = 'store' AND c.row_id = s.id AND c.field = 'created_at'
       LEFT JOIN sync_agents ca ON ca.id = c.agent_id
       LEFT JOIN last l ON l.store_id = s.id
       -- The author PostgreSQL recorded (a teammate's login), or this console's own id.
       LEFT JOIN sync_agents la ON la.id = l.agent_id`,
    ).all() as Array<{ storeId: string; createdById: string | null; createdBy: string | null; lastHlc: string | null; lastBy: string | null }>;
    const me = (prepared(this.db, `SELECT node FROM sync_clock WHERE id = 1`).get() as { node: string }).node;
    return rows.map((r) => ({
      storeId: r.storeId,
      createdBy: r.createdBy,
      // A store made here before team mode has no record: it is this agent's.
      createdByMe: r.createdById === null || r.createdById === me,
      lastBy: r.lastBy,
      lastAt: toIso(r.lastHlc),
    }));
  }

  /** The teammate who set the store's key (its latest version), or null when it was set here. */
  keyAuthor(storeId: string): string | null {
    const row = prepared(this.db, `SELECT a.name, f.agent_id = c.node AS mine FROM sync_fields f JOIN sync_clock c ON c.id = 1
      LEFT JOIN sync_agents a ON a.id = f.agent_id WHERE f.entity = 'credential' AND f.row_id = ? AND f.field = '_'`).get(storeId) as { name: string | null; mine: number } | undefined;
    return row === undefined || row.mine === 1 ? null : row.name;
  }

  /**
   * Who changed what, newest first; with the values teammates' concurrent edits replaced (kept,
   * so an overridden edit is not lost from view): `replaced` says by whom, with what and when.
   */
  storeHistory(storeId: string): HistoryEntry[] {
    const latest = this.latestChanges(storeId);
    const replaced = (prepared(this.db, `${CONFLICT_SELECT} WHERE k.store_id = ? ORDER BY k.id DESC LIMIT 200`).all(storeId) as ConflictRow[]).map((k): HistoryEntry => ({
      field: fieldLabel(k.entity, k.rowId, k.field),
      agent: k.lostBy,
      at: toIso(k.lostHlc)!,
      replaced: { value: valueWords(k.entity, k.field, k.lostValue), by: k.wonBy, byValue: valueWords(k.entity, k.field, k.wonValue), at: toIso(k.wonHlc)! },
    }));
    return [...latest, ...replaced].sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0));
  }

  private latestChanges(storeId: string): HistoryEntry[] {
    const rows = prepared(
      this.db,
      `SELECT f.entity, f.row_id AS rowId, f.field, f.hlc, COALESCE(a.name, f.agent_id) AS agent FROM sync_fields f
       LEFT JOIN sync_agents a ON a.id = f.agent_id
       WHERE (f.entity = 'store' AND f.row_id = ?) OR (f.entity IN ('credential', 'test_subscription', 'webhook_token') AND f.row_id = ?)
          OR (f.entity = 'trigger' AND f.row_id >= ? || '/' AND f.row_id < ? || '0')
       ORDER BY f.hlc DESC LIMIT 200`,
    ).all(storeId, storeId, storeId, storeId) as Array<{ entity: string; rowId: string; field: string; hlc: string; agent: string }>;
    return rows.map((r) => ({
      field: r.entity === 'store' ? r.field : r.entity === 'trigger' ? `${r.rowId.slice(storeId.length + 1)}: ${r.field}` : r.entity,
      agent: r.agent,
      at: toIso(r.hlc)!,
    }));
  }

  teammatesOutbox(): Array<{ externalId: string; agent: string; storeId: string; eventKey: string; state: string; createdAt: string }> {
    const rows = prepared(
      this.db,
      `SELECT o.external_id AS externalId, COALESCE(a.name, o.agent_id) AS agent, o.store_id AS storeId, o.event_key AS eventKey, o.state, o.created_ms AS createdMs
       FROM team_outbox o LEFT JOIN sync_agents a ON a.id = o.agent_id
       WHERE o.state IN ('queued', 'in_flight') ORDER BY o.created_ms DESC LIMIT 500`,
    ).all() as Array<{ externalId: string; agent: string; storeId: string; eventKey: string; state: string; createdMs: number }>;
    return rows.map(({ createdMs, ...r }) => ({ ...r, createdAt: new Date(createdMs).toISOString() }));
  }
}
