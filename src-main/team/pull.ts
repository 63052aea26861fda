/**
 * Pull: teammates' changes by a cursor that never skips a late commit. Rows carry their writing
 * transaction's id (xid8); a reader takes, in one snapshot, only rows of transactions older than
 * every transaction still in flight (`xid < pg_snapshot_xmin`), paged by (xid, id). A transaction
 * that took its ids early but commits late has an xid at or above that horizon until it commits,
 * so it is read on a later pull instead of being jumped over. The changes and the cursor are saved
 * in one SQLite transaction (syncRepo.applyPulled), so a kill -9 anywhere loses and repeats nothing.
 */
import type { ClientBase } from 'pg';
import type { RemoteChange } from '../db/syncApply';
import type { Cursors, SyncRepository } from '../db/syncRepo';
import { TEAM_SCHEMA } from './pgMigrations';

export const PULL_BATCH = 5000;

interface Row {
  kind: 'c' | 'd';
  id: string;
  xid: string;
  change_id: string;
  agent_id: string;
  /** The login that wrote the row, set by PostgreSQL; '' for rows from before per-agent logins. */
  author: string;
  entity: string | null;
  row_id: string | null;
  payload: string;
}

export interface PullResult {
  applied: number;
  rejected: Array<{ hlc: string; reason: string }>;
  /** Entities that changed here, for the renderer's refetch. */
  entities: Set<string>;
  more: boolean;
}

interface Page {
  rows: Row[];
  next: Cursors;
  more: boolean;
}

/**
 * One statement, so one snapshot: the horizon and both tables' rows are read at the same instant
 * (a delivery's store is never missing from the same page), and a page costs one round trip.
 * Ordered by the table's (xid, id), not by the text copies selected for JavaScript.
 */
async function fetchPage(client: ClientBase, cur: Cursors, limit: number): Promise<Page> {
  const { rows } = await client.query<Row>(
    `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)
     (SELECT 'c' AS kind, c.id::text AS id, c.xid::text AS xid, c.change_id, c.agent_id, c.author::text AS author, c.entity, c.row_id, c.payload::text AS payload
      FROM ${TEAM_SCHEMA}.changes c, h WHERE (c.xid, c.id) > ($1::xid8, $2::bigint) AND c.xid < h.horizon ORDER BY c.xid, c.id LIMIT $5)
     UNION ALL
     (SELECT 'd', d.id::text, d.xid::text, d.change_id, d.agent_id, d.author::text, NULL, NULL, d.payload::text
      FROM ${TEAM_SCHEMA}.deliveries d, h WHERE (d.xid, d.id) > ($3::xid8, $4::bigint) AND d.xid < h.horizon ORDER BY d.xid, d.id LIMIT $5)`,
    [cur.changesXid, cur.changesId, cur.deliveriesXid, cur.deliveriesId, limit],
  );
  // UNION ALL promises no order of its own: changes first, each table by (xid, id).
  const keyed = rows.map((r) => ({ r, k: r.kind === 'c' ? 0 : 1, x: BigInt(r.xid), i: Number(r.id) }));
  keyed.sort((a, b) => a.k - b.k || (a.x < b.x ? -1 : a.x > b.x ? 1 : a.i - b.i));
  rows.splice(0, rows.length, ...keyed.map((e) => e.r));
  const next: Cursors = { ...cur };
  let nc = 0;
  let nd = 0;
  for (const r of rows) {
    if (r.kind === 'c') {
      nc++;
      next.changesXid = r.xid;
      next.changesId = Number(r.id);
    } else {
      nd++;
      next.deliveriesXid = r.xid;
      next.deliveriesId = Number(r.id);
    }
  }
  next.changesSeen += nc;
  next.deliveriesSeen += nd;
  return { rows, next, more: nc === limit || nd === limit };
}

/**
 * Who this console is: its login (the author PostgreSQL writes on its rows) and its clock's node
 * (one agent may sign in on two laptops). A bare string is the node alone, login not known yet.
 */
export interface PullSelf {
  node: string;
  login: string | null;
}

/** Our own row, already here: written by this login from this console (or, before logins, typed with our id). */
function isOwn(r: Row, self: PullSelf): boolean {
  return r.agent_id === self.node && (r.author === '' || self.login === null || r.author === self.login);
}

function applyPage(sync: SyncRepository, who: string | PullSelf, page: Page): PullResult {
  const self = typeof who === 'string' ? { node: who, login: null } : who;
  const theirs: RemoteChange[] = [];
  const entities = new Set<string>();
  // Configuration first (the statement lists changes before deliveries): an attempt finds its store.
  for (const r of page.rows) {
    if (isOwn(r, self)) continue;
    const entity = r.kind === 'c' ? r.entity! : 'delivery';
    // Names come from the login (the owner's agents table), not from a name a console typed.
    if (entity === 'agent' && r.author !== '') continue;
    // The author PostgreSQL checked; rows from before logins keep the id their console typed.
    const agentId = r.author === '' ? r.agent_id : r.author;
    theirs.push({ hlc: r.change_id, agentId, entity, rowId: r.kind === 'c' ? r.row_id! : r.change_id, payload: JSON.parse(r.payload) as Record<string, unknown> });
    entities.add(entity);
  }
  if (page.rows.length === 0) return { applied: 0, rejected: [], entities, more: false };
  const { applied, rejected } = sync.applyPulled(theirs, page.next);
  return { applied, rejected, entities, more: page.more };
}

/** One page: fetched, then applied with its cursor. */
export async function pullOnce(client: ClientBase, sync: SyncRepository, agentId: string | PullSelf, limit = PULL_BATCH): Promise<PullResult> {
  return applyPage(sync, agentId, await fetchPage(client, sync.cursors(), limit));
}

/**
 * Everything there is, page after page; the next page is asked for before the current one is
 * applied, so PostgreSQL reads while SQLite writes. Calls `onPage` after each page.
 */
export async function pullAll(client: ClientBase, sync: SyncRepository, agentId: string | PullSelf, onPage: (r: PullResult) => void, limit = PULL_BATCH): Promise<void> {
  let page = await fetchPage(client, sync.cursors(), limit);
  for (;;) {
    const next = page.more ? fetchPage(client, page.next, limit) : null;
    let result: PullResult;
    try {
      result = applyPage(sync, agentId, page);
    } catch (err) {
      await next?.catch(() => undefined); // its answer is of no use now
      throw err;
    }
    onPage(result);
    if (next === null) return;
    page = await next;
  }
}

/**
 * The integrity check, on each connect: the team database must hold exactly as many rows up to the
 * cursor as this console has passed. A difference means the cursor drifted (it can only grow by
 * pulls, so this is a bug or a hand edit); the cursor then goes back to the start and everything is
 * read again, which applying makes harmless. Returns true when it had to do that.
 */
export async function verifyCursor(client: ClientBase, sync: SyncRepository): Promise<boolean> {
  const cur = sync.cursors();
  const count = async (table: string, xid: string, id: number): Promise<number> =>
    Number(
      (await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${TEAM_SCHEMA}.${table} t WHERE (t.xid, t.id) <= ($1::xid8, $2::bigint)`, [xid, id])).rows[0]!.n,
    );
  const drifted =
    (await count('changes', cur.changesXid, cur.changesId)) !== cur.changesSeen ||
    (await count('deliveries', cur.deliveriesXid, cur.deliveriesId)) !== cur.deliveriesSeen;
  if (drifted) sync.resetCursors();
  return drifted;
}
