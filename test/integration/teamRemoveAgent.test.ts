/**
 * Issue 18.2: a removed agent reads nothing new. Removing ends their login and open sessions;
 * rotating the team key re-encrypts every shared secret under a new data key and passphrase, so
 * the old passphrase (and the old data key) open nothing written after, PostgreSQL refuses secrets
 * under the old key version, and the owner is told which merchants' keys to rotate at Postscript.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { openTeamKey, WrongPassphrase } from '../../src-main/team/keyEnvelope';
import { TEAM_SCHEMA } from '../../src-main/team/pgMigrations';
import { TeamSecretBox } from '../../src-main/team/teamKey';
import { coresPerTest } from '../helpers/core';
import { connect, withPostgres, type TestPostgres } from '../helpers/postgres';
import { eventually, join, PASSPHRASE, pushed } from '../helpers/teamConsoles';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});
const core = coresPerTest();
const NEW_PASSPHRASE = 'a new passphrase for the rest of us';


describe('removing an agent', () => {
  it('ends their login and sessions; after the key rotation the old passphrase and key open nothing new', async () => {
    const db = await server.createTeamDb();
    const benUrl = await db.agentUrlFor('Ben');
    const lead = await join(await core({ teamPollMs: 60_000 }), db.ownerUrl, 'Lead');
    const a = await join(await core({ teamPollMs: 60_000 }), await db.agentUrlFor('Ana'), 'Ana');
    const b = await join(await core({ teamPollMs: 60_000 }), benUrl, 'Ben');
    expect((await lead.ok('team', 'status', {})).owner).toBe(true);
    expect((await a.ok('team', 'status', {})).owner).toBe(false);
    const created = await a.ok('stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', testPhone: '(555) 555-0100', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await pushed(a);
    await eventually('the lead sees the store', async () => (await lead.ok('stores', 'list', {})).some((s) => s.id === created.id) || undefined);
    const probe = await connect(db.ownerUrl);
    const oldKey = (await openTeamKey(probe, PASSPHRASE)).key; // what Ben's console holds
    // An agent's console may not manage agents.
    const refused = await a.call('team', 'removeAgent', { role: new URL(benUrl).username });
    expect(refused.ok).toBe(false);

    const benSession = await connect(benUrl);
    const removed = await lead.ok('team', 'removeAgent', { role: new URL(benUrl).username });
    expect(removed.sessionsEnded).toBeGreaterThanOrEqual(1);
    await expect(benSession.query('SELECT 1')).rejects.toThrow();
    await expect(connect(benUrl)).rejects.toThrow(/not permitted to log in/);
    expect((await lead.ok('team', 'ownerAgents', {})).find((x) => x.displayName === 'Ben')?.removedAt).not.toBeNull();

    const rotated = await lead.ok('team', 'rotateKey', { newPassphrase: NEW_PASSPHRASE });
    expect(rotated).toMatchObject({ version: 2, unreadable: 0 });
    expect(rotated.reencrypted).toBeGreaterThanOrEqual(1);
    expect(rotated.keysToRotate).toEqual([{ storeId: created.id, storeName: 'Acme Coffee', mask: created.keyMask }]);

    // The old passphrase opens nothing; the old data key cannot read what was written after.
    await expect(openTeamKey(probe, PASSPHRASE)).rejects.toBeInstanceOf(WrongPassphrase);
    const newest = (await probe.query<{ payload: { scheme: string; ciphertext: string; fingerprint: string } }>(
      `SELECT payload FROM ${TEAM_SCHEMA}.changes WHERE entity = 'credential' ORDER BY change_id DESC LIMIT 1`,
    )).rows[0]!.payload;
    const old = new TeamSecretBox();
    old.setKey(oldKey, 2);
    expect(old.decrypt(newest.scheme, Buffer.from(newest.ciphertext, 'hex'))).toBeNull();
    const current = new TeamSecretBox();
    current.setKey((await openTeamKey(probe, NEW_PASSPHRASE)).key, 2);
    expect(current.decrypt(newest.scheme, Buffer.from(newest.ciphertext, 'hex'))).toBe(DEMO_PRIVATE_KEY);
    // The fingerprint is keyed: not the plain SHA-256 of the key.
    expect(newest.fingerprint).toBe(current.fingerprint(DEMO_PRIVATE_KEY));
    await probe.end();

    // A secret under the old key version is refused by PostgreSQL, whoever writes it.
    const ana = await connect(await db.agentUrlFor('Ana'));
    await expect(
      ana.query(`INSERT INTO ${TEAM_SCHEMA}.changes (change_id, agent_id, entity, row_id, payload, key_version) VALUES ('x-old', 'x', 'credential', $1, '{}', 1)`, [created.id]),
    ).rejects.toThrow(/row-level security/);
    await ana.end();

    // Ana's console notices, asks for the new passphrase, and then sends with the shared key again.
    a.core.ctx.team.worker.wake();
    await eventually('Ana asked for the new passphrase', async () => (await a.ok('team', 'status', {})).unlocked === false || undefined);
    expect((await a.ok('team', 'status', {})).message).toMatch(/team key was changed/);
    await a.ok('team', 'setPassphrase', { passphrase: NEW_PASSPHRASE });
    await eventually('Ana has the re-encrypted key', async () => {
      a.core.ctx.team.worker.wake();
      return (await a.core.ctx.repo.getCredential(created.id))?.scheme === 'team-v1@2' || undefined;
    });
    await a.ok('triggers', 'set', { storeId: created.id, eventKey: 'subscription_created', enabled: true });
    expect((await a.sendTest(created.id, 'subscription_created')).item.state).toBe('delivered');
    // Ben's console is cut off: its status says the team database refused it.
    b.core.ctx.team.worker.retryNow();
    await eventually('Ben refused', async () => (await b.ok('team', 'status', {})).state === 'offline' || undefined, 10_000);
  }, 90_000);
});
