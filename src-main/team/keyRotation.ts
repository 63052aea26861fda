/**
 * Rotating the team key (the owner's console, after removing an agent): a new random data key,
 * wrapped under a new passphrase as the next key version; every shared secret (the newest value of
 * each store's key and signing token) decrypted with the current data key and written again under
 * the new one, with a keyed fingerprint, in one PostgreSQL transaction. From its commit PostgreSQL
 * refuses secrets under the old version, and consoles holding it ask for the new passphrase. The
 * removed agent may have kept copies of the old ciphertexts and the old key: those cannot be
 * unread, so the result lists the merchants' Postscript keys to rotate at Postscript.
 */
import crypto from 'node:crypto';
import type { ClientBase } from 'pg';
import type { SyncRepository } from '../db/syncRepo';
import type { RemoteChange } from '../db/syncApply';
import { sealVersion } from './keyEnvelope';
import { TEAM_SCHEMA } from './pgMigrations/names';
import { TeamSecretBox } from './teamKey';

export interface RotationResult {
  version: number;
  /** Secrets written again under the new key. */
  reencrypted: number;
  /** Secrets the current key could not open (left as they were; their owner enters them again). */
  unreadable: number;
  /** Every store whose Postscript key was in the team database before: rotate these at Postscript. */
  keysToRotate: Array<{ storeId: string; mask: string | null }>;
  key: Buffer;
}

export class RotationRefused extends Error {}

interface SecretRow {
  entity: string;
  row_id: string;
  change_id: string;
  payload: Record<string, unknown>;
}

export async function rotateTeamKey(client: ClientBase, current: TeamSecretBox, sync: SyncRepository, newPassphrase: string): Promise<RotationResult> {
  if (!current.unlocked || current.version === null) throw new RotationRefused('Enter the current team passphrase on this console first: its key opens the secrets to re-encrypt.');
  const dataKey = crypto.randomBytes(32);
  const sealed = await sealVersion(newPassphrase, dataKey);
  await client.query('BEGIN');
  try {
    // One rotation at a time, and no secret written under the old key while this one runs.
    await client.query(`LOCK TABLE ${TEAM_SCHEMA}.team_keys IN EXCLUSIVE MODE`);
    const newest = (await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${TEAM_SCHEMA}.team_keys`)).rows[0]?.v ?? null;
    if (newest !== current.version) throw new RotationRefused('The team key was changed since it was entered here: enter the current team passphrase first.');
    await client.query(`LOCK TABLE ${TEAM_SCHEMA}.changes IN SHARE ROW EXCLUSIVE MODE`);
    const version = newest + 1;
    const next = new TeamSecretBox();
    next.setKey(dataKey, version);
    const { rows } = await client.query<SecretRow>(
      `SELECT DISTINCT ON (entity, row_id) entity, row_id, change_id, payload FROM ${TEAM_SCHEMA}.changes
       WHERE entity IN ('credential', 'webhook_token') ORDER BY entity, row_id, change_id DESC`,
    );
    const out: Array<{ entity: string; rowId: string; payload: Record<string, unknown> }> = [];
    let unreadable = 0;
    for (const r of rows) {
      const plain = typeof r.payload.ciphertext === 'string' && typeof r.payload.scheme === 'string' ? current.decrypt(r.payload.scheme, Buffer.from(r.payload.ciphertext, 'hex')) : null;
      if (plain === null) {
        unreadable++;
        continue;
      }
      const payload: Record<string, unknown> = { ...r.payload, scheme: next.scheme, ciphertext: next.encrypt(plain).toString('hex') };
      if (r.entity === 'credential') payload.fingerprint = next.fingerprint(plain);
      out.push({ entity: r.entity, rowId: r.row_id, payload });
    }
    await client.query(`INSERT INTO ${TEAM_SCHEMA}.team_keys (version, salt, params, check_value, wrapped_key) VALUES ($1, $2, $3, $4, $5)`, [
      version, sealed.salt, JSON.stringify(sealed.params), sealed.check, sealed.wrapped,
    ]);
    // Each new value must win over the one it replaces: clocks after the newest change read.
    const newestSeen = rows.reduce((m, r) => (r.change_id > m ? r.change_id : m), '');
    const clocks = sync.nextClocks(out.length, newestSeen);
    const changes: RemoteChange[] = out.map((c, i) => ({ hlc: clocks[i]!, agentId: sync.agentId(), entity: c.entity, rowId: c.rowId, payload: c.payload }));
    if (changes.length > 0) {
      await client.query(
        `INSERT INTO ${TEAM_SCHEMA}.changes (change_id, agent_id, entity, row_id, payload, key_version)
         SELECT c, $2, e, r, p::jsonb, $6 FROM unnest($1::text[], $3::text[], $4::text[], $5::text[]) AS t(c, e, r, p)`,
        [changes.map((c) => c.hlc), sync.agentId(), changes.map((c) => c.entity), changes.map((c) => c.rowId), changes.map((c) => JSON.stringify(c.payload)), version],
      );
    }
    await client.query('COMMIT');
    // Here too (pull skips this console's own rows): its copies of the secrets are now the new ones.
    sync.applyOwn(changes);
    const keysToRotate = rows
      .filter((r) => r.entity === 'credential')
      .map((r) => ({ storeId: r.row_id, mask: typeof r.payload.mask === 'string' ? r.payload.mask : null }));
    return { version, reencrypted: changes.length, unreadable, keysToRotate, key: dataKey };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
