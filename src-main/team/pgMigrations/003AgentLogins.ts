/**
 * Team-database migration 3: each agent signs in as themself, and PostgreSQL says who wrote a row.
 * Shipped text: never edit (its checksum is pinned); add a new migration.
 *
 * - `team`: the team's id, made once, so a console knows its team whatever address reaches it.
 * - `agents`: the name teammates see for each login role, kept by the owner (agents only read it).
 * - `author` on every history row: `DEFAULT session_user`, and row-level security (enabled and
 *   forced, so the tables' owner is held to it too) refuses a row whose author is not the login
 *   writing it. `session_user`, not `current_user`: `SET ROLE` changes the latter, only a
 *   superuser the former. Rows written before this migration have the author '' (no login can
 *   be called that): they keep the agent id their console typed, as before.
 * - `team_keys`: envelope keys. A random data key encrypts the shared secrets; each version keeps
 *   it wrapped under a key derived from that version's passphrase. Secret rows carry the version
 *   they are encrypted under, and PostgreSQL refuses a secret under any but the newest version.
 *   The first version may be made by any agent (the first passphrase entered); later ones only by
 *   the owner (the table's owner is not held to its policies), when rotating the team key.
 */
import { AGENT_GROUP_ROLE, grantToAgents, TEAM_SCHEMA, type PgMigration } from './names';

const S = TEAM_SCHEMA;

export const migration003: PgMigration = {
  version: 3,
  name: 'agent logins: team id, agents, row authors, envelope team keys',
  sql: `
    CREATE TABLE ${S}.team (
      id integer PRIMARY KEY CHECK (id = 1),
      team_id uuid NOT NULL DEFAULT gen_random_uuid(),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO ${S}.team (id) VALUES (1);

    CREATE TABLE ${S}.agents (
      role name PRIMARY KEY,
      display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 80),
      added_at timestamptz NOT NULL DEFAULT now(),
      removed_at timestamptz
    );

    ALTER TABLE ${S}.changes ADD COLUMN author name NOT NULL DEFAULT '';
    ALTER TABLE ${S}.changes ALTER COLUMN author SET DEFAULT session_user;
    ALTER TABLE ${S}.deliveries ADD COLUMN author name NOT NULL DEFAULT '';
    ALTER TABLE ${S}.deliveries ALTER COLUMN author SET DEFAULT session_user;
    ALTER TABLE ${S}.changes ADD COLUMN key_version integer;

    CREATE TABLE ${S}.team_keys (
      version integer PRIMARY KEY CHECK (version >= 1),
      salt bytea NOT NULL,
      params jsonb NOT NULL,
      check_value bytea NOT NULL,
      wrapped_key bytea NOT NULL,
      created_by name NOT NULL DEFAULT session_user,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    ALTER TABLE ${S}.changes ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${S}.changes FORCE ROW LEVEL SECURITY;
    CREATE POLICY changes_read ON ${S}.changes FOR SELECT USING (true);
    CREATE POLICY changes_own ON ${S}.changes FOR INSERT WITH CHECK (
      author = session_user
      AND (entity NOT IN ('credential', 'webhook_token') OR key_version = (SELECT max(version) FROM ${S}.team_keys))
    );
    ALTER TABLE ${S}.deliveries ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${S}.deliveries FORCE ROW LEVEL SECURITY;
    CREATE POLICY deliveries_read ON ${S}.deliveries FOR SELECT USING (true);
    CREATE POLICY deliveries_own ON ${S}.deliveries FOR INSERT WITH CHECK (author = session_user);
    ALTER TABLE ${S}.team_keys ENABLE ROW LEVEL SECURITY;
    CREATE POLICY team_keys_read ON ${S}.team_keys FOR SELECT USING (true);
    CREATE POLICY team_keys_first ON ${S}.team_keys FOR INSERT WITH CHECK (version = 1 AND created_by = session_user);

    ${grantToAgents(`
      GRANT SELECT ON ${S}.team, ${S}.agents TO ${AGENT_GROUP_ROLE};
      GRANT SELECT, INSERT ON ${S}.team_keys TO ${AGENT_GROUP_ROLE};
      REVOKE INSERT ON ${S}.team_key FROM ${AGENT_GROUP_ROLE};`)}
  `,
};
