/**
 * The team database's schema: numbered migrations, never edited once shipped (add a new one), like
 * SQLite's `db/migrations/`. Everything lives in the `postscript_team` schema. Agents connect
 * with a member of the `postscript_agent` role, which may only read and append: no migration
 * grants it UPDATE, DELETE or TRUNCATE on anything, so no agent can rewrite anyone's history.
 */
import type { ClientBase } from 'pg';

export const TEAM_SCHEMA = 'postscript_team';
export const AGENT_GROUP_ROLE = 'postscript_agent';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** Grants to the agent group only where it exists (a single-role team has none). */
function grantToAgents(statements: string): string {
  return `DO $grant$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AGENT_GROUP_ROLE}') THEN ${statements} END IF;
  END $grant$;`;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'change feed, team delivery log, team key check',
    sql: `
      -- Field changes of shared configuration (stores, triggers, keys as ciphertext, ...), and
      -- append-only records other than delivery attempts. change_id is the change's hybrid logical
      -- clock (it ends in the agent id): globally unique, so a retried push inserts nothing.
      -- xid is the writing transaction's id: readers page by (xid, id) and only read rows of
      -- transactions older than every transaction still running, so a late commit is never skipped.
      CREATE TABLE ${TEAM_SCHEMA}.changes (
        id bigserial PRIMARY KEY,
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        change_id text NOT NULL UNIQUE,
        agent_id text NOT NULL,
        entity text NOT NULL,
        row_id text NOT NULL,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX changes_cursor ON ${TEAM_SCHEMA}.changes (xid, id);

      -- Delivery attempts, append-only, typed where the team log filters and pages.
      CREATE TABLE ${TEAM_SCHEMA}.deliveries (
        id bigserial PRIMARY KEY,
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        change_id text NOT NULL UNIQUE,
        agent_id text NOT NULL,
        store_id text NOT NULL,
        event_key text NOT NULL,
        outcome text NOT NULL,
        response_status integer,
        started_at text NOT NULL,
        -- json, not jsonb: kept as sent (cheaper to take in bulk); nothing queries inside it.
        payload json NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX deliveries_cursor ON ${TEAM_SCHEMA}.deliveries (xid, id);
      CREATE INDEX deliveries_agent ON ${TEAM_SCHEMA}.deliveries (agent_id, id);
      CREATE INDEX deliveries_store ON ${TEAM_SCHEMA}.deliveries (store_id, id);

      -- The team key is derived from the passphrase on each laptop; only its salt and a check
      -- value live here, so a wrong passphrase is told so and the key itself never leaves a laptop.
      CREATE TABLE ${TEAM_SCHEMA}.team_key (
        id integer PRIMARY KEY CHECK (id = 1),
        salt bytea NOT NULL,
        params jsonb NOT NULL,
        check_value bytea NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- A wake-up for listening teammates; they always re-read from their cursor.
      CREATE FUNCTION ${TEAM_SCHEMA}.notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN PERFORM pg_notify('postscript_team', TG_TABLE_NAME); RETURN NULL; END $fn$;
      CREATE TRIGGER changes_notify AFTER INSERT ON ${TEAM_SCHEMA}.changes
        FOR EACH STATEMENT EXECUTE FUNCTION ${TEAM_SCHEMA}.notify_change();
      CREATE TRIGGER deliveries_notify AFTER INSERT ON ${TEAM_SCHEMA}.deliveries
        FOR EACH STATEMENT EXECUTE FUNCTION ${TEAM_SCHEMA}.notify_change();

      ${grantToAgents(`
        GRANT USAGE ON SCHEMA ${TEAM_SCHEMA} TO ${AGENT_GROUP_ROLE};
        GRANT SELECT ON ${TEAM_SCHEMA}.schema_migrations TO ${AGENT_GROUP_ROLE};
        GRANT SELECT, INSERT ON ${TEAM_SCHEMA}.changes, ${TEAM_SCHEMA}.deliveries, ${TEAM_SCHEMA}.team_key TO ${AGENT_GROUP_ROLE};
        GRANT USAGE ON SEQUENCE ${TEAM_SCHEMA}.changes_id_seq, ${TEAM_SCHEMA}.deliveries_id_seq TO ${AGENT_GROUP_ROLE};`)}
    `,
  },
  {
    version: 2,
    name: 'resend claims: a failed send is re-sent once, team-wide',
    sql: `
      -- One row per original send (the failed item's external id) that someone re-sent: the
      -- primary key refuses a second claim, whoever makes it. Who and when come from PostgreSQL
      -- (the login, the transaction's time); the policy refuses a row naming anyone else.
      CREATE TABLE ${TEAM_SCHEMA}.resend_claims (
        original_send text PRIMARY KEY,
        claimed_by name NOT NULL DEFAULT session_user,
        claimed_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE ${TEAM_SCHEMA}.resend_claims ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${TEAM_SCHEMA}.resend_claims FORCE ROW LEVEL SECURITY;
      CREATE POLICY resend_claims_read ON ${TEAM_SCHEMA}.resend_claims FOR SELECT USING (true);
      CREATE POLICY resend_claims_claim ON ${TEAM_SCHEMA}.resend_claims FOR INSERT
        WITH CHECK (claimed_by = session_user AND claimed_at = now());
      ${grantToAgents(`GRANT SELECT, INSERT ON ${TEAM_SCHEMA}.resend_claims TO ${AGENT_GROUP_ROLE};`)}
    `,
  },
];

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
 * SQL an owner runs once on a team's own server (README shows it; `npm run team-db` runs it):
 * the owner role creates the schema, agents get read + append through the group role.
 */
export function rolesSql(owner: string, ownerPassword: string, agent: string, agentPassword: string, database: string): string[] {
  const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
  return [
    `CREATE ROLE ${owner} LOGIN PASSWORD ${lit(ownerPassword)}`,
    `CREATE ROLE ${AGENT_GROUP_ROLE} NOLOGIN`,
    `CREATE ROLE ${agent} LOGIN PASSWORD ${lit(agentPassword)} IN ROLE ${AGENT_GROUP_ROLE}`,
    `GRANT CONNECT ON DATABASE ${database} TO ${AGENT_GROUP_ROLE}`,
    `GRANT CREATE ON DATABASE ${database} TO ${owner}`,
    // Agents create nothing, anywhere.
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
  ];
}
