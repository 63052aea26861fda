/**
 * The team key as an envelope: the passphrase only wraps a random data key. A team set up before
 * envelopes (its passphrase key encrypted the secrets directly) keeps every secret readable.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openTeamKey, WrongPassphrase } from '../../src-main/team/keyEnvelope';
import { TEAM_SCHEMA } from '../../src-main/team/pgMigrations';
import { checkValue, DEFAULT_PARAMS, deriveTeamKey, TeamSecretBox } from '../../src-main/team/teamKey';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { coresPerTest } from '../helpers/core';
import { connect, withPostgres, type TestPostgres } from '../helpers/postgres';
import { eventually, join, pushed } from '../helpers/teamConsoles';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});


const core = coresPerTest();

describe('the team key envelope', () => {
  it('the team database holds a keyed fingerprint, and a teammate’s key is still refused when reused here', async () => {
    const db = await server.createTeamDb();
    const a = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ana'), 'Ana');
    const b = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ben'), 'Ben');
    const created = await a.ok('stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await pushed(a);
    const owner = await connect(db.ownerUrl);
    const fp = (await owner.query<{ f: string }>(`SELECT payload->>'fingerprint' AS f FROM ${TEAM_SCHEMA}.changes WHERE entity = 'credential'`)).rows[0]!.f;
    await owner.end();
    expect(fp).not.toBe(crypto.createHash('sha256').update(DEMO_PRIVATE_KEY).digest('hex'));
    expect(fp).toMatch(/^k1:[0-9a-f]{64}$/);
    await eventually('B has the store', async () => (await b.ok('stores', 'list', {})).some((s) => s.id === created.id) || undefined);
    const reused = await b.call('stores', 'create', { name: 'Other', shopDomain: 'other-shop', account: 'sandbox', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    expect(reused.ok).toBe(false);
    if (!reused.ok) expect(reused.error.message).toMatch(/already used by “Acme Coffee”/);
  }, 60_000);

  it('the first passphrase makes a random data key; the same passphrase opens it on another console, another is refused', async () => {
    const db = await server.createTeamDb();
    const ana = await connect(await db.agentUrlFor('Ana'));
    const ben = await connect(await db.agentUrlFor('Ben'));
    try {
      const first = await openTeamKey(ana, 'correct horse battery staple');
      const again = await openTeamKey(ben, 'correct horse battery staple');
      expect(again).toEqual(first);
      expect(first.version).toBe(1);
      // The data key is not the passphrase's scrypt key: the passphrase only wraps it.
      const row = (await ben.query<{ salt: Buffer }>(`SELECT salt FROM ${TEAM_SCHEMA}.team_keys WHERE version = 1`)).rows[0]!;
      expect((await deriveTeamKey('correct horse battery staple', row.salt, DEFAULT_PARAMS)).equals(first.key)).toBe(false);
      await expect(openTeamKey(ben, 'wrong horse battery staple')).rejects.toBeInstanceOf(WrongPassphrase);
      // An agent may not add a later version (only the owner rotates).
      await expect(ben.query(`INSERT INTO ${TEAM_SCHEMA}.team_keys (version, salt, params, check_value, wrapped_key) VALUES (2, '\\x00', '{}', '\\x00', '\\x00')`)).rejects.toThrow(/row-level security/);
    } finally {
      await ana.end();
      await ben.end();
    }
  });

  it('a team set up before envelopes: its passphrase still opens the secrets written under it', async () => {
    const db = await server.createTeamDb();
    const owner = await connect(db.ownerUrl);
    const ana = await connect(await db.agentUrlFor('Ana'));
    try {
      // As the app wrote it before: the scrypt key itself encrypted the secrets.
      const salt = crypto.randomBytes(16);
      const legacyKey = await deriveTeamKey('correct horse battery staple', salt, DEFAULT_PARAMS);
      await owner.query(`INSERT INTO ${TEAM_SCHEMA}.team_key (id, salt, params, check_value, created_by) VALUES (1, $1, $2, $3, 'old-console')`, [
        salt, JSON.stringify(DEFAULT_PARAMS), checkValue(legacyKey),
      ]);
      const legacy = new TeamSecretBox();
      legacy.setKey(legacyKey, 1);
      const ciphertext = legacy.encrypt('sk_live_written_before_envelopes');
      await expect(openTeamKey(ana, 'not the old passphrase')).rejects.toBeInstanceOf(WrongPassphrase);
      const opened = await openTeamKey(ana, 'correct horse battery staple');
      const box = new TeamSecretBox();
      box.setKey(opened.key, opened.version);
      expect(box.decrypt(legacy.scheme, ciphertext)).toBe('sk_live_written_before_envelopes');
    } finally {
      await owner.end();
      await ana.end();
    }
  });
});
