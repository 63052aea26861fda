/** Team-database migration 2 (resend claims), as shipped: never edit (its checksum is pinned); add a new migration. */
import { AGENT_GROUP_ROLE, grantToAgents, TEAM_SCHEMA, type PgMigration } from './names';

// Indented as it was inside the list it was shipped in: the SQL text is pinned byte for byte.
export const migration002: PgMigration =
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
  };
