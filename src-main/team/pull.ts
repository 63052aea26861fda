/**
 * Pull: teammates' changes by a cursor that never skips a late commit. Rows carry their writing
 * transaction's id (xid8); a reader takes, in one snapshot, only rows of transactions older than
 * every transaction still in flight (`xid < pg_snapshot_xmin`), paged by (xid, id). A transaction
 * that took its ids early but commits late has an xid at or above that horizon until it commits,
 * so it is read on a later pull instead of being jumped over. The changes and the cursor are saved
 * in one SQLite transaction (syncRepo.applyPulled).
 */
import type { ClientBase } from 'pg';
import type { RemoteChange } from '../db/syncApply';
import type { Cursors, SyncRepository } from '../db/syncRepo';
import { TEAM_SCHEMA } from './pgMigrations';

export const PULL_BATCH = 5000;

interface Row {
  id: string;
  xid: string;
  change_id: string;
  agent_id: string;
  entity?: string;
  row_id?: string;
  payload: Record<string, unknown>;
}

export interface PullResult {
  applied: number;
  rejected: Array<{ changeId: string; reason: string }>;
  /** Entities that changed here, for the renderer's refetch. */
  entities: Set<string>;
  more: boolean;
}

export async function pullOnce(client: ClientBase, sync: SyncRepository, agentId: string, limit = PULL_BATCH): Promise<PullResult> {
  const cur = sync.cursors();
  let changes: Row[];
  let deliveries: Row[];
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const horizon = (await client.query<{ xmin: string }>(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`)).rows[0]!.xmin;
    changes = (
      await client.query<Row>(
        // Order by the table's columns (c.xid, c.id), not by the text copies selected for JavaScript.
        `SELECT c.id::text AS id, c.xid::text AS xid, change_id, agent_id, entity, row_id, payload FROM ${TEAM_SCHEMA}.changes c
         WHERE (c.xid, c.id) > ($1::xid8, $2::bigint) AND c.xid < $3::xid8 ORDER BY c.xid, c.id LIMIT ${limit}`,
        [cur.changesXid, cur.changesId, horizon],
      )
    ).rows;
    deliveries = (
      await client.query<Row>(
        `SELECT d.id::text AS id, d.xid::text AS xid, change_id, agent_id, payload FROM ${TEAM_SCHEMA}.deliveries d
         WHERE (d.xid, d.id) > ($1::xid8, $2::bigint) AND d.xid < $3::xid8 ORDER BY d.xid, d.id LIMIT ${limit}`,
        [cur.deliveriesXid, cur.deliveriesId, horizon],
      )
    ).rows;
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  const next: Cursors = { ...cur, changesSeen: cur.changesSeen + changes.length, deliveriesSeen: cur.deliveriesSeen + deliveries.length };
  const lastC = changes.at(-1);
  if (lastC !== undefined) Object.assign(next, { changesXid: lastC.xid, changesId: Number(lastC.id) });
  const lastD = deliveries.at(-1);
  if (lastD !== undefined) Object.assign(next, { deliveriesXid: lastD.xid, deliveriesId: Number(lastD.id) });
  const theirs: RemoteChange[] = [];
  const entities = new Set<string>();
  // Configuration first: a delivery of a store set up in the same snapshot finds its store.
  for (const r of changes) {
    if (r.agent_id === agentId) continue; // our own, already here
    theirs.push({ changeId: r.change_id, agentId: r.agent_id, entity: r.entity!, rowId: r.row_id!, payload: r.payload });
    entities.add(r.entity!);
  }
  for (const r of deliveries) {
    if (r.agent_id === agentId) continue;
    theirs.push({ changeId: r.change_id, agentId: r.agent_id, entity: 'delivery', rowId: r.change_id, payload: r.payload });
    entities.add('delivery');
  }
  if (changes.length === 0 && deliveries.length === 0) return { applied: 0, rejected: [], entities, more: false };
  const { applied, rejected } = sync.applyPulled(theirs, next);
  return { applied, rejected, entities, more: changes.length === limit || deliveries.length === limit };
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
