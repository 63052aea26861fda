/**
 * The SQLite side of team sync: outgoing changes, pull cursors, applying pulled changes with their
 * cursor in one transaction, team secrets, and who changed what.
 */
import type { Db } from './database';
import { prepared } from './prepared';
import { APPEND_COLUMNS, SYNC_ENTITIES } from './syncCaptureSql';
import { SyncApplier, type RemoteChange } from './syncApply';
import { writeFailureKind } from './writeFailure';

export interface OutgoingRow {
  id: number;
  entity: string;
  rowId: string;
  hlc: string;
  payload: string;
}

export interface Cursors {
  changesXid: string;
  changesId: number;
  deliveriesXid: string;
  deliveriesId: number;
  /** Rows passed so far in each table (own ones included). */
  changesSeen: number;
  deliveriesSeen: number;
}

/**
 * Teammates' changes could not be saved here for a passing reason (the database was busy, the disk
 * full): nothing of the page was kept and the cursor did not move, so the next pull tries again.
 */
export class ApplyPaused extends Error {
  constructor(
    override readonly cause: unknown,
    /** The change being applied when it failed (null: the failure came before or after them). */
    readonly change: RemoteChange | null,
  ) {
    const kind = writeFailureKind(cause);
    const code = (cause as { code?: unknown } | null)?.code;
    const why =
      kind === 'full'
        ? 'the disk is full'
        : code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
          ? 'the database was busy'
          : `${cause instanceof Error ? cause.message : String(cause)}`;
    super(`Teammates’ changes could not be saved here yet (${why}); nothing was lost, and sync tries them again.`);
    this.name = 'ApplyPaused';
  }
}


/** A value a teammate's concurrent edit replaced (values as JSON text; names as teammates see them). */
export interface ConflictRow {
  id: number;
  entity: string;
  rowId: string;
  storeName: string | null;
  field: string;
  lostValue: string | null;
  lostHlc: string;
  lostBy: string;
  wonValue: string | null;
  wonHlc: string;
  wonBy: string;
}

export const CONFLICT_SELECT = `
  SELECT k.id, k.entity, k.row_id AS rowId, s.name AS storeName, k.field, k.lost_value AS lostValue, k.lost_hlc AS lostHlc,
         COALESCE(la.name, k.lost_agent) AS lostBy, k.won_value AS wonValue, k.won_hlc AS wonHlc, COALESCE(wa.name, k.won_agent) AS wonBy
  FROM sync_conflicts k LEFT JOIN stores s ON s.id = k.store_id
  LEFT JOIN sync_agents la ON la.id = k.lost_agent LEFT JOIN sync_agents wa ON wa.id = k.won_agent`;

export const SECRET_ENTITIES = ['credential', 'webhook_token'] as const;

/** This console's own history the team database already holds: row ids up to these went up. */
export interface HistoryMarks {
  delivery: number;
  inbound: number;
}

const HISTORY = [['delivery', 'deliveries'], ['inbound', 'inbound_webhooks']] as const;

export class SyncRepository {
  private readonly applier: SyncApplier;

  constructor(private readonly db: Db) {
    this.applier = new SyncApplier(db);
  }

  agentId(): string {
    return (prepared(this.db, `SELECT node FROM sync_clock WHERE id = 1`).get() as { node: string }).node;
  }

  isEnabled(): boolean {
    return (prepared(this.db, `SELECT enabled FROM sync_state WHERE id = 1`).get() as { enabled: number }).enabled === 1;
  }

  /**
   * Turns team mode on. The first time, everything already here goes up as if just made, in the
   * same transaction, so nothing made before joining is left behind. After leaving the same team,
   * `after` holds the history it already has, so only the attempts made since go up (they are
   * appended rows: sent twice, a teammate's log would show them twice).
   */
  enable(after?: HistoryMarks): void {
    this.db.transaction(() => {
      if (this.isEnabled()) return;
      prepared(this.db, `UPDATE sync_state SET enabled = 1 WHERE id = 1`).run();
      for (const e of SYNC_ENTITIES) {
        const cols = [...e.keyColumns, ...e.fields];
        const json = `json_object(${cols.map((c) => `'${c}', ${c === 'ciphertext' ? `hex(${c})` : c}`).join(', ')})`;
        const key = e.key('new').replaceAll('new.', '');
        const rows = this.db.prepare(`SELECT ${key} AS k, ${json} AS p FROM ${e.table}${e.table === 'outbox' ? ` WHERE state IN ('queued', 'in_flight')` : ''}`).all() as Array<{ k: string; p: string }>;
        for (const r of rows) this.record(e.entity, r.k, r.p, e.whole === true ? ['_'] : e.fields);
      }
      // This console's own history goes up too (teammates' rows are theirs to share).
      for (const [entity, table] of HISTORY) {
        const json = `json_object(${APPEND_COLUMNS[entity].map((c) => `'${c}', ${c}`).join(', ')})`;
        const rows = this.db.prepare(`SELECT id AS k, ${json} AS p FROM ${table} WHERE agent_id IS NULL AND id > ? ORDER BY id`).all(after?.[entity] ?? 0) as Array<{ k: number; p: string }>;
        for (const r of rows) this.record(entity, String(r.k), r.p);
      }
    })();
  }

  /**
   * Leaving the team: nothing more is recorded and nothing waits to go up, so a console that never
   * rejoins does not pile up changes. Returns the own history the team already has (null when
   * team mode was already off); rejoining catches up, then queues the current state again.
   */
  leave(): HistoryMarks | null {
    return this.db.transaction(() => {
      if (!this.isEnabled()) return null;
      const marks: HistoryMarks = { delivery: 0, inbound: 0 };
      for (const [entity, table] of HISTORY) {
        // Appended rows go up in id order: everything below the oldest still waiting is there.
        const waiting = (prepared(this.db, `SELECT MIN(CAST(row_id AS INTEGER)) AS m FROM sync_outgoing WHERE entity = ?`).get(entity) as { m: number | null }).m;
        marks[entity] = waiting !== null
          ? waiting - 1
          : (prepared(this.db, `SELECT COALESCE(MAX(id), 0) AS m FROM ${table} WHERE agent_id IS NULL`).get() as { m: number }).m;
      }
      prepared(this.db, `UPDATE sync_state SET enabled = 0 WHERE id = 1`).run();
      prepared(this.db, `DELETE FROM sync_outgoing`).run();
      prepared(this.db, `DELETE FROM sync_field_bases`).run();
      return marks;
    })();
  }

  /**
   * Another team database: it has none of what this console pushed elsewhere, and the cursors mean
   * nothing there. Everything here is queued again and the history is read from its start.
   */
  rejoin(): void {
    this.db.transaction(() => {
      prepared(this.db, `UPDATE sync_state SET enabled = 0 WHERE id = 1`).run();
      prepared(this.db, `DELETE FROM sync_outgoing`).run();
      prepared(this.db, `DELETE FROM sync_field_bases`).run();
      this.resetCursors();
      this.enable();
    })();
  }

  /** Records a change made outside the capture triggers (the agent's display name). */
  record(entity: string, rowId: string, payload: string, fields: string[] = []): void {
    prepared(this.db, `UPDATE sync_clock SET counter = CASE WHEN ? > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, ?) WHERE id = 1`).run(Date.now(), Date.now());
    const { hlc, node } = prepared(this.db, `SELECT hlc, node FROM sync_clock WHERE id = 1`).get() as { hlc: string; node: string };
    prepared(this.db, `INSERT INTO sync_outgoing (entity, row_id, hlc, payload) VALUES (?, ?, ?, ?)`).run(entity, rowId, hlc, payload);
    for (const f of fields) {
      prepared(this.db, `INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id`).run(entity, rowId, f, hlc, node);
    }
  }

  /**
   * The names teammates' logins are shown by (the owner's agents table), and this console's own
   * (its login's name, else what was typed here). Nothing goes up: a name comes from the login.
   */
  setAgentNames(names: ReadonlyArray<{ id: string; name: string }>, own: string | null): void {
    this.db.transaction(() => {
      const upsert = prepared(this.db, `INSERT INTO sync_agents (id, name, hlc) VALUES (?, ?, '') ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE sync_agents.name IS NOT excluded.name`);
      for (const n of names) upsert.run(n.id, n.name);
      if (own !== null) upsert.run(this.agentId(), own);
    })();
  }

  /** The oldest changes waiting to go up; secrets only when they can be re-encrypted for the team. */
  readOutgoing(limit: number, withSecrets: boolean): OutgoingRow[] {
    const sql = withSecrets
      ? `SELECT id, entity, row_id AS rowId, hlc, payload FROM sync_outgoing ORDER BY id LIMIT ?`
      : `SELECT id, entity, row_id AS rowId, hlc, payload FROM sync_outgoing WHERE entity NOT IN ('credential', 'webhook_token') ORDER BY id LIMIT ?`;
    return prepared(this.db, sql).all(limit) as OutgoingRow[];
  }

  /** Forgets changes the team database has confirmed (and the versions they replaced). */
  deleteOutgoing(ids: readonly number[]): void {
    const bases = prepared(this.db, `DELETE FROM sync_field_bases WHERE hlc = (SELECT hlc FROM sync_outgoing WHERE id = ?)`);
    const del = prepared(this.db, `DELETE FROM sync_outgoing WHERE id = ?`);
    this.db.transaction(() => {
      for (const id of ids) {
        bases.run(id);
        del.run(id);
      }
    })();
  }

  /** The version each of these local changes replaced, per field (migration 13), by change clock. */
  basesFor(hlcs: readonly string[]): Map<string, Record<string, string>> {
    const out = new Map<string, Record<string, string>>();
    if (hlcs.length === 0) return out;
    const rows = prepared(this.db, `SELECT hlc, field, base FROM sync_field_bases WHERE hlc IN (SELECT value FROM json_each(?))`).all(JSON.stringify(hlcs)) as Array<{ hlc: string; field: string; base: string }>;
    for (const r of rows) out.set(r.hlc, { ...out.get(r.hlc), [r.field]: r.base });
    return out;
  }

  /** Values of this console's that teammates' concurrent edits replaced and its agent was not told of yet; marked told. */
  takeUntoldConflicts(): ConflictRow[] {
    return this.db.transaction(() => {
      const rows = prepared(this.db, `${CONFLICT_SELECT} WHERE k.mine = 1 AND k.told = 0 ORDER BY k.id`).all() as ConflictRow[];
      if (rows.length > 0) prepared(this.db, `UPDATE sync_conflicts SET told = 1 WHERE mine = 1 AND told = 0`).run();
      return rows;
    })();
  }

  pending(): { total: number; secrets: number } {
    return prepared(this.db, `SELECT COUNT(*) AS total, COALESCE(SUM(entity IN ('credential', 'webhook_token')), 0) AS secrets FROM sync_outgoing`).get() as {
      total: number;
      secrets: number;
    };
  }

  cursors(): Cursors {
    return prepared(
      this.db,
      `SELECT changes_xid AS changesXid, changes_id AS changesId, deliveries_xid AS deliveriesXid, deliveries_id AS deliveriesId,
              changes_seen AS changesSeen, deliveries_seen AS deliveriesSeen FROM sync_state WHERE id = 1`,
    ).get() as Cursors;
  }

  /** Back to the start: everything is read again (applying it again changes nothing). */
  resetCursors(): void {
    prepared(this.db, `UPDATE sync_state SET changes_xid = '0', changes_id = 0, deliveries_xid = '0', deliveries_id = 0, changes_seen = 0, deliveries_seen = 0 WHERE id = 1`).run();
  }

  /**
   * Applies pulled changes and moves the cursors in one transaction: a crash applies all of them
   * with the cursor moved, or none with it unmoved (and applying again changes nothing). A change
   * refused by validation is recorded and passed; a passing failure (locked database, full disk)
   * undoes the whole page, cursor included, and throws `ApplyPaused`: the next pull starts at the
   * same place and applies that change then. (SQLite may itself roll back the transaction on such
   * an error, so nothing of the page is kept.)
   */
  applyPulled(changes: readonly RemoteChange[], cursors: Cursors): { applied: number; rejected: Array<{ hlc: string; reason: string }> } {
    const rejected: Array<{ hlc: string; reason: string }> = [];
    this.applier.reset();
    let current: RemoteChange | null = null;
    try {
      this.applyPage(changes, cursors, rejected, (c) => (current = c));
    } catch (err) {
      this.applier.reset(); // what it learnt inside the undone transaction is not true any more
      throw new ApplyPaused(err, current);
    }
    return { applied: changes.length - rejected.length, rejected };
  }

  private applyPage(changes: readonly RemoteChange[], cursors: Cursors, rejected: Array<{ hlc: string; reason: string }>, at: (c: RemoteChange) => void): void {
    this.db.transaction(() => {
      prepared(this.db, `UPDATE sync_state SET applying = 1 WHERE id = 1`).run();
      let newest = '';
      for (const c of changes) {
        at(c);
        const reason = this.applier.apply(c);
        if (reason !== null) rejected.push({ hlc: c.hlc, reason });
        else if (c.hlc > newest) newest = c.hlc;
      }
      if (newest !== '') this.applier.mergeClock(newest);
      prepared(this.db, `UPDATE sync_state SET applying = 0, changes_xid = ?, changes_id = ?, deliveries_xid = ?, deliveries_id = ?, changes_seen = ?, deliveries_seen = ? WHERE id = 1`)
        .run(cursors.changesXid, cursors.changesId, cursors.deliveriesXid, cursors.deliveriesId, cursors.changesSeen, cursors.deliveriesSeen);
    })();
  }

  /**
   * `n` clock values of this console that sort after `atLeast` (a change made elsewhere that they
   * must win over): for changes written straight to the team database (the key rotation).
   */
  nextClocks(n: number, atLeast: string): string[] {
    return this.db.transaction(() => {
      if (atLeast !== '') this.applier.mergeClock(atLeast);
      const tick = prepared(this.db, `UPDATE sync_clock SET counter = CASE WHEN ? > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, ?) WHERE id = 1`);
      const read = prepared(this.db, `SELECT hlc FROM sync_clock WHERE id = 1`);
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const now = Date.now();
        tick.run(now, now);
        out.push((read.get() as { hlc: string }).hlc);
      }
      return out;
    })();
  }

  /** Applies this console's own changes written straight to the team database (pull skips own rows). */
  applyOwn(changes: readonly RemoteChange[]): void {
    this.applier.reset();
    this.db.transaction(() => {
      prepared(this.db, `UPDATE sync_state SET applying = 1 WHERE id = 1`).run();
      for (const c of changes) this.applier.apply(c);
      prepared(this.db, `UPDATE sync_state SET applying = 0 WHERE id = 1`).run();
    })();
  }

  rejectedCount(): number {
    return (prepared(this.db, `SELECT COUNT(*) AS n FROM sync_rejected`).get() as { n: number }).n;
  }

  lastRejected(): { reason: string; agentName: string | null } | null {
    return (prepared(this.db, `SELECT r.reason, a.name AS agentName FROM sync_rejected r LEFT JOIN sync_agents a ON a.id = r.agent_id ORDER BY r.at DESC LIMIT 1`).get() as
      | { reason: string; agentName: string | null }
      | undefined) ?? null;
  }

  getSecret(name: string): { scheme: string; ciphertext: Buffer } | null {
    return (prepared(this.db, `SELECT scheme, ciphertext FROM sync_secrets WHERE name = ?`).get(name) as { scheme: string; ciphertext: Buffer } | undefined) ?? null;
  }

  setSecret(name: string, value: { scheme: string; ciphertext: Buffer } | null): void {
    if (value === null) prepared(this.db, `DELETE FROM sync_secrets WHERE name = ?`).run(name);
    else prepared(this.db, `INSERT INTO sync_secrets (name, scheme, ciphertext) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET scheme = excluded.scheme, ciphertext = excluded.ciphertext`).run(name, value.scheme, value.ciphertext);
  }
}
