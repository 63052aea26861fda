/** Names every team-database migration and module shares (kept apart so migrations import no runner). */
export const TEAM_SCHEMA = 'postscript_team';
export const AGENT_GROUP_ROLE = 'postscript_agent';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** Grants to the agent group only where it exists (a single-role team has none). */
export function grantToAgents(statements: string): string {
  return `DO $grant$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AGENT_GROUP_ROLE}') THEN ${statements} END IF;
  END $grant$;`;
}

