/**
 * Applies teammates' changes to this console's SQLite, idempotently. Configuration converges per
 * field by last writer wins on the hybrid logical clock (which ends in the agent id, so equal
 * times break ties the same way everywhere): a change older than the field's known version is
 * ignored, an equal one is a duplicate. Appended rows (delivery attempts, inbound webhooks) land
 * once, by their change id. A change that fails validation (the app's rules, or the database's
 * own constraints) is kept in `sync_rejected` with the reason instead of being applied; nothing else
 * is held back by it. Any other failure (a locked database, a full disk) is passing: `apply` throws
 * it, the pull stops there without moving its cursor, and the change is applied on a later pull.
 */
import type { Db } from './database';
import { prepared } from './prepared';
import { APPEND_COLUMNS, SYNC_ENTITIES } from './syncCaptureSql';
import { InvalidField, validateField } from './syncValidate';

export interface RemoteChange {
  /** The change's hybrid logical clock value (the team database's change_id): orders changes and names each one. */
  hlc: string;
  agentId: string;
  entity: string;
  rowId: string;
  payload: Record<string, unknown>;
}

const FIVE_MINUTES = 5 * 60_000;
/** Tables that keep a local "updated_at" the sync does not carry. */
const TOUCH: Record<string, string[]> = { stores: ['updated_at'], triggers: ['updated_at'], test_subscriptions: ['updated_at'] };

export function hlcMs(hlc: string): number {
  return Number.parseInt(hlc.slice(0, 12), 16);
}

class Rejected extends Error {}

/** SQLite refusing the values themselves: as permanent as failed validation. */
const REFUSED_VALUES = /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG)/;

/** Why a change is refused for good, or null when the failure is passing and the change must be tried again. */
function rejectionReason(err: unknown): string | null {
  if (err instanceof Rejected || err instanceof InvalidField) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && REFUSED_VALUES.test(code)) return `it could not be saved here (${(err as Error).message})`;
  return null;
}

/** Fields agents edit by hand: a value of one replaced by a concurrent edit is kept and told. */
const WATCHED_FIELDS: Record<string, readonly string[]> = {
  store: ['name', 'shop_domain', 'keyword', 'test_phone', 'skip_word', 'archived_at'],
  trigger: ['enabled', 'settings_json', 'skio_sms_also'],
  test_subscription: ['phone', 'interval_days'],
};

/** Appended rows: their columns (the teammate's local id stays theirs) and the insert, built once. */
const APPEND = Object.fromEntries(
  (['delivery', 'inbound'] as const).map((entity) => {
    const table = entity === 'delivery' ? 'deliveries' : 'inbound_webhooks';
    const cols = APPEND_COLUMNS[entity].filter((col) => col !== 'id');
    // Only a repeat of the same change (its origin key) is skipped: OR IGNORE would also drop a row
    // SQLite refuses (NOT NULL, CHECK) without a word, and the teammate's send would vanish from the log.
    const sql = `INSERT INTO ${table} (${cols.join(', ')}, agent_id, origin_key) VALUES (${cols.map(() => '?').join(', ')}, ?, ?) ON CONFLICT (origin_key) DO NOTHING`;
    return [entity, { cols, sql }];
  }),
) as Record<'delivery' | 'inbound', { cols: string[]; sql: string }>;

export class SyncApplier {
  constructor(private readonly db: Db) {}

  /**
   * Applies one change; returns a reason when it was refused (and recorded as such). Throws, having
   * changed nothing, when the failure is passing (locked database, full disk): retry it later.
   */
  apply(change: RemoteChange): string | null {
    try {
      if (hlcMs(change.hlc) > Date.now() + FIVE_MINUTES) throw new Rejected("the teammate's clock is more than 5 minutes ahead");
      // An appended row is one statement: if it fails, SQLite undoes just that statement, so it
      // needs no savepoint of its own (the hot path when catching up on a long log).
      if (change.entity === 'delivery' || change.entity === 'inbound') this.append(change);
      else this.db.transaction(() => this.applyOne(change))();
      return null;
    } catch (err) {
      const reason = rejectionReason(err);
      if (reason === null) throw err;
      prepared(this.db, `INSERT OR IGNORE INTO sync_rejected (change_id, agent_id, entity, row_id, payload, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(change.hlc, change.agentId, change.entity, change.rowId, JSON.stringify(change.payload), reason, new Date().toISOString());
      return reason;
    }
  }

  private applyOne(c: RemoteChange): void {
    if (c.entity === 'agent') return this.agent(c);
    if (c.entity === 'outbox') return this.teamOutbox(c);
    const spec = SYNC_ENTITIES.find((e) => e.entity === c.entity);
    if (spec === undefined) throw new Rejected(`unknown kind of change "${c.entity}" (a newer app?)`);
    // A trigger's row id is "store/event"; every other row id is its store's id (a batch's is its own, never used as a store).
    const storeId = c.rowId.split('/')[0]!;
    // A store that is here has not been removed; only otherwise is its tombstone looked up.
    const storeHere = c.entity !== 'batch' && this.storeExists(storeId);
    if (c.entity !== 'batch' && !storeHere && this.version('store', storeId, '_deleted') !== null) return; // removed: removal wins
    if (c.entity === 'store' && c.payload._deleted === 1) {
      this.setVersions('store', c.rowId, ['_deleted'], c);
      prepared(this.db, `DELETE FROM stores WHERE id = ?`).run(c.rowId);
      this.knownStores.delete(c.rowId);
      return;
    }
    const keyValues = spec.entity === 'trigger' ? c.rowId.split('/') : [c.rowId];
    const keyWhere = spec.keyColumns.map((k) => `${k} = ?`).join(' AND ');
    const exists =
      c.entity === 'store' ? storeHere : prepared(this.db, `SELECT 1 FROM ${spec.table} WHERE ${keyWhere}`).get(...keyValues) !== undefined;
    const fieldNames = spec.whole === true ? ['_'] : spec.fields.filter((f) => f in c.payload);
    // A row not here has no field versions yet (rows go only with their store): every field wins.
    const winners = !exists
      ? fieldNames
      : fieldNames.filter((f) => {
          const known = this.version(c.entity, c.rowId, f);
          return known === null || known < c.hlc;
        });
    if (winners.length === 0) return; // a duplicate or an older change
    if (exists) this.keepReplaced(c, spec.table, keyWhere, keyValues, storeId, winners);
    const columns = spec.whole === true ? spec.fields.filter((f) => f in c.payload) : winners;
    const values = columns.map((col) => validateField(c.entity, col, c.payload[col]));
    const touch = TOUCH[spec.table] ?? [];
    const now = new Date().toISOString();
    if (exists) {
      const sets = [...columns.map((col) => `${col} = ?`), ...touch.map((t) => `${t} = ?`)].join(', ');
      prepared(this.db, `UPDATE ${spec.table} SET ${sets} WHERE ${keyWhere}`).run(...values, ...touch.map(() => now), ...keyValues);
    } else {
      if (c.entity !== 'store' && c.entity !== 'batch' && !storeHere) throw new Rejected('its store is not known here');
      const extra = spec.entity === 'batch' ? ['agent_id'] : [];
      const cols = [...spec.keyColumns, ...columns, ...touch, ...extra];
      if (c.entity === 'store' && !['name', 'shop_domain', 'account'].every((f) => columns.includes(f))) {
        throw new Rejected('a new store arrived without its name, domain or account');
      }
      if (c.entity === 'store' && !columns.includes('created_at')) cols.push('created_at');
      const vals = [...keyValues, ...values, ...touch.map(() => now), ...extra.map(() => c.agentId)];
      if (c.entity === 'store' && !columns.includes('created_at')) vals.push(now);
      prepared(this.db, `INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...vals);
    }
    this.setVersions(c.entity, c.rowId, winners, c);
    if (c.entity === 'store' && !exists) this.knownStores.add(c.rowId);
  }

  private storeExists(storeId: string): boolean {
    if (this.knownStores.has(storeId)) return true;
    const here = prepared(this.db, `SELECT 1 FROM stores WHERE id = ?`).get(storeId) !== undefined;
    if (here) this.knownStores.add(storeId);
    return here;
  }

  private append(c: RemoteChange): void {
    const spec = APPEND[c.entity as 'delivery' | 'inbound'];
    const storeId = c.payload.store_id;
    if (typeof storeId === 'string' && !this.storeExists(storeId)) {
      if (this.version('store', storeId, '_deleted') !== null) return;
      throw new Rejected('its store is not known here');
    }
    const values = spec.cols.map((col) => validateField(c.entity, col, c.payload[col] ?? null));
    prepared(this.db, spec.sql).run(...values, c.agentId, c.hlc);
  }

  /** Stores seen to exist while applying appended rows (a store is only removed by a change of its own). */
  private readonly knownStores = new Set<string>();

  /** Forgets what it assumed between batches. */
  reset(): void {
    this.knownStores.clear();
  }

  private agent(c: RemoteChange): void {
    const name = validateField('agent', 'name', c.payload.name);
    prepared(this.db, `INSERT INTO sync_agents (id, name, hlc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, hlc = excluded.hlc WHERE excluded.hlc > sync_agents.hlc`)
      .run(c.rowId, name, c.hlc);
  }

  private teamOutbox(c: RemoteChange): void {
    const p = c.payload;
    const v = (col: string): unknown => validateField('outbox', col, p[col] ?? null);
    prepared(this.db, `INSERT INTO team_outbox (external_id, agent_id, store_id, event_key, batch_id, state, attempts, last_error, created_ms, finished_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (external_id) DO UPDATE SET state = excluded.state, attempts = excluded.attempts, last_error = excluded.last_error, finished_ms = excluded.finished_ms`)
      .run(c.rowId, c.agentId, v('store_id'), v('event_key'), v('batch_id'), v('state'), v('attempts'), v('last_error'), v('created_ms'), v('finished_ms'));
  }

  /**
   * A winning change made without seeing this console's version of a field (its `_base`, the
   * version it replaced, is not ours) was made beside it, not after it: the value it replaces is
   * kept in `sync_conflicts` with both values, and when that value was this console's own, its
   * agent is told (team/conflictNotice.ts). Changes from an app that sends no `_base` say nothing.
   */
  private keepReplaced(c: RemoteChange, table: string, keyWhere: string, keyValues: string[], storeId: string, winners: readonly string[]): void {
    const base = c.payload._base;
    const watched = WATCHED_FIELDS[c.entity];
    if (watched === undefined || typeof base !== 'object' || base === null) return;
    for (const f of winners) {
      if (!watched.includes(f)) continue;
      const known = prepared(this.db, `SELECT hlc, agent_id AS agentId FROM sync_fields WHERE entity = ? AND row_id = ? AND field = ?`).get(c.entity, c.rowId, f) as
        | { hlc: string; agentId: string }
        | undefined;
      // Seen (its base), or the same agent's own earlier version: an edit after it, not beside it.
      if (known === undefined || known.agentId === c.agentId || (base as Record<string, unknown>)[f] === known.hlc) continue;
      const local = (prepared(this.db, `SELECT ${f} AS v FROM ${table} WHERE ${keyWhere}`).get(...keyValues) as { v: unknown } | undefined)?.v ?? null;
      const incoming = c.payload[f] ?? null;
      if (JSON.stringify(local) === JSON.stringify(incoming)) continue; // both set the same value
      this.node ??= (prepared(this.db, `SELECT node FROM sync_clock WHERE id = 1`).get() as { node: string }).node;
      prepared(
        this.db,
        `INSERT OR IGNORE INTO sync_conflicts (entity, row_id, store_id, field, lost_value, lost_hlc, lost_agent, won_value, won_hlc, won_agent, mine)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(c.entity, c.rowId, storeId, f, JSON.stringify(local), known.hlc, known.agentId, JSON.stringify(incoming), c.hlc, c.agentId, known.agentId === this.node ? 1 : 0);
    }
  }

  private node: string | undefined;

  private version(entity: string, rowId: string, field: string): string | null {
    const row = prepared(this.db, `SELECT hlc FROM sync_fields WHERE entity = ? AND row_id = ? AND field = ?`).get(entity, rowId, field) as { hlc: string } | undefined;
    return row?.hlc ?? null;
  }

  /** Records the fields' new versions in one statement. */
  private setVersions(entity: string, rowId: string, fields: readonly string[], c: RemoteChange): void {
    if (fields.length === 0) return;
    prepared(
      this.db,
      `INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id) VALUES ${fields.map(() => '(?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id`,
    ).run(...fields.flatMap((f) => [entity, rowId, f, c.hlc, c.agentId]));
  }

  /** A later local change must sort after every change seen (the "receive" step of the clock). */
  mergeClock(hlc: string): void {
    const ms = hlcMs(hlc);
    const counter = Number.parseInt(hlc.slice(13, 21), 16);
    prepared(this.db, `UPDATE sync_clock SET counter = CASE WHEN ? > ms THEN ? WHEN ? = ms THEN MAX(counter, ?) ELSE counter END, ms = MAX(ms, ?) WHERE id = 1`)
      .run(ms, counter, ms, counter, ms);
  }
}
