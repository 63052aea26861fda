/**
 * The team key's envelope in the team database (`team_keys`, one row per key version): opening the
 * newest version with a passphrase, and making the first one. A team set up before envelopes has
 * only `team_key` (its passphrase key encrypted the secrets directly): its first version keeps
 * that key as its data key, wrapped under itself, so every ciphertext stays readable until the
 * owner's first rotation gives the team a random data key.
 */
import crypto from 'node:crypto';
import type { ClientBase } from 'pg';
import { TEAM_SCHEMA } from './pgMigrations/names';
import { checkValue, DEFAULT_PARAMS, deriveTeamKey, keyMatches, unwrapDataKey, wrapDataKey, type KeyParams } from './teamKey';

export class WrongPassphrase extends Error {
  constructor() {
    super('That is not your team’s passphrase (it does not match the one your team set). Nothing was decrypted.');
  }
}

interface KeyRow {
  version: number;
  salt: Buffer;
  params: KeyParams;
  check_value: Buffer;
  wrapped_key: Buffer;
}

export async function newestKeyVersion(client: ClientBase): Promise<number | null> {
  return (await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${TEAM_SCHEMA}.team_keys`)).rows[0]?.v ?? null;
}

async function newestKey(client: ClientBase): Promise<KeyRow | undefined> {
  return (await client.query<KeyRow>(`SELECT version, salt, params, check_value, wrapped_key FROM ${TEAM_SCHEMA}.team_keys ORDER BY version DESC LIMIT 1`)).rows[0];
}

/** A new version's row: a passphrase key from a fresh salt, wrapping the given data key. */
export async function sealVersion(passphrase: string, dataKey: Buffer): Promise<{ salt: Buffer; params: KeyParams; check: Buffer; wrapped: Buffer }> {
  const salt = crypto.randomBytes(16);
  const kek = await deriveTeamKey(passphrase, salt, DEFAULT_PARAMS);
  return { salt, params: DEFAULT_PARAMS, check: checkValue(kek), wrapped: wrapDataKey(kek, dataKey) };
}

/**
 * Opens the newest key version with this passphrase, making version 1 when the team has none yet
 * (the first teammate's passphrase sets it; a teammate who set it at the same time wins, and this
 * passphrase is then checked against theirs). Throws WrongPassphrase.
 */
export async function openTeamKey(client: ClientBase, passphrase: string): Promise<{ key: Buffer; version: number }> {
  let row = await newestKey(client);
  if (row === undefined) {
    const legacy = (await client.query<{ salt: Buffer; params: KeyParams; check_value: Buffer }>(`SELECT salt, params, check_value FROM ${TEAM_SCHEMA}.team_key WHERE id = 1`)).rows[0];
    let first: { salt: Buffer; params: KeyParams; check: Buffer; wrapped: Buffer };
    if (legacy !== undefined) {
      const key = await deriveTeamKey(passphrase, legacy.salt, legacy.params);
      if (!keyMatches(key, legacy.check_value)) throw new WrongPassphrase();
      first = { salt: legacy.salt, params: legacy.params, check: legacy.check_value, wrapped: wrapDataKey(key, key) };
    } else {
      first = await sealVersion(passphrase, crypto.randomBytes(32));
    }
    await client.query(
      `INSERT INTO ${TEAM_SCHEMA}.team_keys (version, salt, params, check_value, wrapped_key) VALUES (1, $1, $2, $3, $4) ON CONFLICT (version) DO NOTHING`,
      [first.salt, JSON.stringify(first.params), first.check, first.wrapped],
    );
    row = await newestKey(client);
  }
  const kek = await deriveTeamKey(passphrase, row!.salt, row!.params);
  if (!keyMatches(kek, row!.check_value)) throw new WrongPassphrase();
  const key = unwrapDataKey(kek, row!.wrapped_key);
  if (key === null) throw new WrongPassphrase();
  return { key, version: row!.version };
}
