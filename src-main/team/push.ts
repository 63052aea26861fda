/**
 * Push: the oldest waiting changes go up in one PostgreSQL transaction, inserted with
 * ON CONFLICT DO NOTHING on their change id, and are forgotten locally only after the commit.
 * A kill -9 before the commit leaves them waiting; after it, they go up again and insert nothing.
 * Keys and signing tokens are re-encrypted under the team key first: PostgreSQL only ever gets
 * ciphertext.
 */
import type { ClientBase } from 'pg';
import type { OutgoingRow, SyncRepository } from '../db/syncRepo';
import type { SecretBox } from '../secrets/secretBox';
import { TEAM_SCHEMA } from './pgMigrations';
import type { TeamSecretBox } from './teamKey';

export const PUSH_BATCH = 2000;

export interface PushDeps {
  sync: SyncRepository;
  /** This laptop's boxes (reads local and team ciphertexts). */
  secrets: SecretBox;
  team: TeamSecretBox;
  agentId: string;
  /** Test hook: runs after the PostgreSQL commit, before the local delete. */
  afterCommit?: () => void;
  /** Changes per transaction (PUSH_BATCH; the benchmark's baseline pushes one at a time). */
  batch?: number;
}

/** A secret's payload as the team may see it: ciphertext under the team key. Null: cannot go up yet. */
function forTeam(row: OutgoingRow, deps: PushDeps): string | null {
  const p = JSON.parse(row.payload) as Record<string, unknown>;
  if (typeof p.ciphertext !== 'string' || typeof p.scheme !== 'string') return null;
  const plain = deps.secrets.decrypt(p.scheme, Buffer.from(p.ciphertext, 'hex'));
  if (plain === null) return null;
  p.scheme = deps.team.scheme;
  p.ciphertext = deps.team.encrypt(plain).toString('hex');
  // The team database gets a keyed fingerprint, never the bare SHA-256 of the key.
  if (row.entity === 'credential') p.fingerprint = deps.team.fingerprint(plain);
  return JSON.stringify(p);
}

/** Entities whose field changes carry the versions they replaced (`_base`), so a teammate can tell a concurrent edit. */
const WITH_BASE = new Set(['store', 'trigger', 'test_subscription']);

/** The payload with `_base`: per field, the version this change replaced (none: it set the field first). */
function withBase(row: OutgoingRow, bases: Map<string, Record<string, string>>): string {
  if (!WITH_BASE.has(row.entity)) return row.payload;
  const p = JSON.parse(row.payload) as Record<string, unknown>;
  p._base = bases.get(row.hlc) ?? {};
  return JSON.stringify(p);
}

/** Pushes one batch; returns how many changes went up (0: nothing left that can go). */
export async function pushOnce(client: ClientBase, deps: PushDeps): Promise<number> {
  const rows = deps.sync.readOutgoing(deps.batch ?? PUSH_BATCH, deps.team.unlocked);
  if (rows.length === 0) return 0;
  const bases = deps.sync.basesFor(rows.filter((r) => WITH_BASE.has(r.entity)).map((r) => r.hlc));
  const changes: { ids: string[]; entities: string[]; rowIds: string[]; payloads: string[]; keyVersions: Array<number | null> } = {
    ids: [], entities: [], rowIds: [], payloads: [], keyVersions: [],
  };
  const del: { ids: string[]; stores: string[]; events: string[]; outcomes: string[]; statuses: Array<number | null>; started: string[]; payloads: string[] } = {
    ids: [], stores: [], events: [], outcomes: [], statuses: [], started: [], payloads: [],
  };
  const done: number[] = [];
  for (const row of rows) {
    if (row.entity === 'delivery') {
      const p = JSON.parse(row.payload) as { store_id: string; event_key: string; outcome: string; response_status: number | null; started_at: string };
      del.ids.push(row.hlc);
      del.stores.push(p.store_id);
      del.events.push(p.event_key);
      del.outcomes.push(p.outcome);
      del.statuses.push(p.response_status);
      del.started.push(p.started_at);
      del.payloads.push(row.payload);
      done.push(row.id);
      continue;
    }
    const secret = row.entity === 'credential' || row.entity === 'webhook_token';
    const payload = secret ? forTeam(row, deps) : withBase(row, bases);
    if (payload === null) continue; // stays waiting (e.g. saved by the other shell and unreadable here)
    changes.ids.push(row.hlc);
    changes.entities.push(row.entity);
    changes.rowIds.push(row.rowId);
    changes.payloads.push(payload);
    // Secrets name the key version they are under; PostgreSQL refuses any but the newest.
    changes.keyVersions.push(secret ? deps.team.version : null);
    done.push(row.id);
  }
  if (done.length === 0) return 0;
  await client.query('BEGIN');
  try {
    if (changes.ids.length > 0) {
      await client.query(
        `INSERT INTO ${TEAM_SCHEMA}.changes (change_id, agent_id, entity, row_id, payload, key_version)
         SELECT c, $2, e, r, p::jsonb, k FROM unnest($1::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS t(c, e, r, p, k)
         ON CONFLICT (change_id) DO NOTHING`,
        [changes.ids, deps.agentId, changes.entities, changes.rowIds, changes.payloads, changes.keyVersions],
      );
    }
    if (del.ids.length > 0) {
      await client.query(
        `INSERT INTO ${TEAM_SCHEMA}.deliveries (change_id, agent_id, store_id, event_key, outcome, response_status, started_at, payload)
         SELECT c, $2, s, e, o, st, sa, p::json FROM unnest($1::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[]) AS t(c, s, e, o, st, sa, p)
         ON CONFLICT (change_id) DO NOTHING`,
        [del.ids, deps.agentId, del.stores, del.events, del.outcomes, del.statuses, del.started, del.payloads],
      );
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  deps.afterCommit?.();
  deps.sync.deleteOutgoing(done);
  return done.length;
}
