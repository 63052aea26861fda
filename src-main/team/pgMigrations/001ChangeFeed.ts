/** Team-database migration 1, as shipped: never edit (its checksum is pinned); add a new migration. */
import { AGENT_GROUP_ROLE, grantToAgents, TEAM_SCHEMA, type PgMigration } from './names';

// Indented as it was inside the list it was shipped in: the SQL text is pinned byte for byte.
export const migration001: PgMigration =
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
  };
