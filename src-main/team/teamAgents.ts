/**
 * The team's agents, kept by its owner: each agent has a PostgreSQL login of their own (a member
 * of the agent group, which may only read and append), and a name teammates see in the `agents`
 * table. Used by `npm run team-db` and by the owner's Team screen. Removing an agent ends their
 * login and their open sessions at once; the owner then rotates the team key (keyRotation.ts).
 */
import crypto from 'node:crypto';
import type { ClientBase } from 'pg';
import { AGENT_GROUP_ROLE, TEAM_SCHEMA } from './pgMigrations/names';

export interface TeamAgentRow {
  role: string;
  displayName: string;
  addedAt: string;
  removedAt: string | null;
}

export class AgentInputError extends Error {}

const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;
const literal = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** The login role for a display name: `psc_` and its letters and digits (e.g. "Ana Lima" → psc_ana_lima). */
export function agentRoleFor(displayName: string): string {
  const slug = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  if (slug === '') throw new AgentInputError(`"${displayName}" has no letters or digits to name a login after: use e.g. "ana".`);
  if (slug === 'owner' || slug === 'agent') throw new AgentInputError(`"${displayName}" is a name the team database keeps for itself: choose another.`);
  return `psc_${slug}`;
}

export function newPassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/** The URL an agent pastes into the Team screen: the team database's, with the agent's own login. */
export function agentUrl(teamUrl: string, role: string, password: string): string {
  const u = new URL(teamUrl);
  u.username = role;
  u.password = password;
  return u.toString();
}

/**
 * Adds an agent (or gives a removed one a new password and their login back). Run as the owner
 * (a role with CREATEROLE and ADMIN on the agent group) or a superuser. Returns the new password.
 */
export async function addAgent(client: ClientBase, displayName: string, role = agentRoleFor(displayName)): Promise<{ role: string; password: string }> {
  const name = displayName.trim();
  if (name === '' || name.length > 80) throw new AgentInputError('An agent’s name has 1 to 80 characters.');
  const password = newPassword();
  await client.query('BEGIN');
  try {
    const exists = (await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])).rowCount! > 0;
    if (exists) {
      const known = (await client.query(`SELECT removed_at FROM ${TEAM_SCHEMA}.agents WHERE role = $1`, [role])).rows[0] as { removed_at: Date | null } | undefined;
      if (known !== undefined && known.removed_at === null) throw new AgentInputError(`${name} (${role}) is already an agent of this team.`);
      await client.query(`ALTER ROLE ${ident(role)} LOGIN PASSWORD ${literal(password)}`);
      await client.query(`GRANT ${AGENT_GROUP_ROLE} TO ${ident(role)}`);
    } else {
      await client.query(`CREATE ROLE ${ident(role)} LOGIN PASSWORD ${literal(password)} IN ROLE ${AGENT_GROUP_ROLE}`);
    }
    await client.query(
      `INSERT INTO ${TEAM_SCHEMA}.agents (role, display_name) VALUES ($1, $2)
       ON CONFLICT (role) DO UPDATE SET display_name = excluded.display_name, added_at = now(), removed_at = NULL`,
      [role, name],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return { role, password };
}

/** A new password for an agent's login (theirs was not kept here); their old URL stops working. */
export async function resetAgentPassword(client: ClientBase, role: string): Promise<string> {
  const password = newPassword();
  await client.query(`ALTER ROLE ${ident(role)} PASSWORD ${literal(password)}`);
  return password;
}

/**
 * Removes an agent: their login is turned off, they leave the agent group, and every session they
 * have open is ended (in that order, so they cannot sign in again in between). Their rows stay:
 * history is append-only. Returns how many sessions were ended.
 */
export async function removeAgent(client: ClientBase, role: string): Promise<{ sessionsEnded: number }> {
  const known = (await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])).rowCount! > 0;
  if (!known) throw new AgentInputError(`There is no login ${role} in this team database.`);
  await client.query('BEGIN');
  try {
    await client.query(`ALTER ROLE ${ident(role)} NOLOGIN`);
    await client.query(`REVOKE ${AGENT_GROUP_ROLE} FROM ${ident(role)}`);
    await client.query(
      `INSERT INTO ${TEAM_SCHEMA}.agents (role, display_name, removed_at) VALUES ($1, $2, now())
       ON CONFLICT (role) DO UPDATE SET removed_at = now()`,
      [role, role],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  const r = await client.query<{ n: string }>(`SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE usename = $1`, [role]);
  return { sessionsEnded: Number(r.rows[0]?.n ?? 0) };
}

export async function listAgents(client: ClientBase): Promise<TeamAgentRow[]> {
  const r = await client.query<{ role: string; display_name: string; added_at: Date; removed_at: Date | null }>(
    `SELECT role, display_name, added_at, removed_at FROM ${TEAM_SCHEMA}.agents ORDER BY removed_at IS NOT NULL, lower(display_name)`,
  );
  return r.rows.map((x) => ({ role: x.role, displayName: x.display_name, addedAt: x.added_at.toISOString(), removedAt: x.removed_at?.toISOString() ?? null }));
}
