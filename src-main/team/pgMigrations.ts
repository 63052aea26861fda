/**
 * The team database's schema: numbered migrations, never edited once shipped (add a new one), like
 * SQLite's `db/migrations/`. Everything lives in the `postscript_team` schema. Agents connect
 * with a login of their own, a member of the `postscript_agent` role, which may only read and
 * append: no migration grants it UPDATE, DELETE or TRUNCATE on anything, so no agent can rewrite
 * anyone's history, and row-level security makes PostgreSQL the judge of who wrote a row
 * (pgMigrations/003AgentLogins.ts).
 */
import type { ClientBase } from 'pg';
import { migration001 } from './pgMigrations/001ChangeFeed';
import { migration002 } from './pgMigrations/002ResendClaims';
import { migration003 } from './pgMigrations/003AgentLogins';
import { AGENT_GROUP_ROLE, TEAM_SCHEMA, type PgMigration } from './pgMigrations/names';

export { AGENT_GROUP_ROLE, TEAM_SCHEMA, type PgMigration } from './pgMigrations/names';

/** One file per migration under pgMigrations/, in order; append only. */
export const PG_MIGRATIONS: readonly PgMigration[] = [migration001, migration002, migration003];

export const LATEST_TEAM_SCHEMA = PG_MIGRATIONS.length;

export class TeamSchemaError extends Error {}

/** The schema version the team database is at (0 when the app has never set it up). */
export async function teamSchemaVersion(client: ClientBase): Promise<number> {
  const exists = await client.query<{ ok: boolean }>(`SELECT to_regclass('${TEAM_SCHEMA}.schema_migrations') IS NOT NULL AS ok`);
  if (exists.rows[0]?.ok !== true) return 0;
  const r = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${TEAM_SCHEMA}.schema_migrations`);
  return r.rows[0]?.v ?? 0;
}

export function migrateHint(current: number): string {
  return (
    `The team database's schema is at version ${current}; this app needs version ${LATEST_TEAM_SCHEMA}. ` +
    `Its agent role may not change the schema: whoever owns the team database runs ` +
    `\`npm run team-db -- --migrate <owner connection URL>\` (or connects this app once with the owner's URL).`
  );
}

/**
 * Brings the team schema up to date when this role may, under an advisory lock so two consoles
 * starting together migrate once. Refuses a schema newer than this app knows. Returns the version.
 */
export async function migrateTeamSchema(client: ClientBase): Promise<number> {
  const current = await teamSchemaVersion(client);
  if (current > LATEST_TEAM_SCHEMA) {
    throw new TeamSchemaError(
      `The team database was set up by a newer version of Postscript Console (schema ${current}, this app knows ${LATEST_TEAM_SCHEMA}). Update the app; nothing was changed.`,
    );
  }
  if (current === LATEST_TEAM_SCHEMA) return current;
  const may = await client.query<{ ok: boolean }>(
    current === 0
      ? `SELECT has_database_privilege(current_database(), 'CREATE') AS ok`
      : `SELECT has_schema_privilege('${TEAM_SCHEMA}', 'CREATE') AS ok`,
  );
  if (may.rows[0]?.ok !== true) throw new TeamSchemaError(migrateHint(current));
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('${TEAM_SCHEMA}.migrate'))`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${TEAM_SCHEMA}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${TEAM_SCHEMA}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const again = await teamSchemaVersion(client);
    for (const m of PG_MIGRATIONS) {
      if (m.version <= again) continue;
      await client.query(m.sql);
      await client.query(`INSERT INTO ${TEAM_SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return LATEST_TEAM_SCHEMA;
}

/**
 * SQL a superuser runs once on a team's own server (README shows it; `npm run team-db` runs it):
 * the owner role creates and migrates the schema and keeps the team's agents (CREATEROLE, ADMIN of
 * the agent group, and pg_signal_backend to end a removed agent's sessions); agents get read +
 * append through the group role, each with a login of their own (teamAgents.ts).
 */
export function rolesSql(owner: string, ownerPassword: string, database: string): string[] {
  const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
  return [
    `CREATE ROLE ${owner} LOGIN CREATEROLE PASSWORD ${lit(ownerPassword)}`,
    `CREATE ROLE ${AGENT_GROUP_ROLE} NOLOGIN`,
    `GRANT ${AGENT_GROUP_ROLE} TO ${owner} WITH ADMIN OPTION`,
    `GRANT pg_signal_backend TO ${owner}`,
    `GRANT CONNECT ON DATABASE ${database} TO ${AGENT_GROUP_ROLE}`,
    `GRANT CREATE ON DATABASE ${database} TO ${owner}`,
    // Agents create nothing, anywhere.
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
  ];
}
