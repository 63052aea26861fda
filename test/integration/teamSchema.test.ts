/** The team database's schema and least privilege, against a real PostgreSQL started here. */
import { describe, expect, it } from 'vitest';
import { LATEST_TEAM_SCHEMA, migrateTeamSchema, TEAM_SCHEMA, teamSchemaVersion } from '../../src-main/team/pgMigrations';
import { connect, withPostgres, type TestPostgres } from '../helpers/postgres';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});


describe('team schema', () => {
  it('an agent may read and append history but PostgreSQL refuses its UPDATE, DELETE and TRUNCATE', async () => {
    const db = await server.createTeamDb();
    const agent = await connect(db.agentUrl);
    try {
      await agent.query(
        `INSERT INTO ${TEAM_SCHEMA}.changes (change_id, agent_id, entity, row_id, payload) VALUES ('c1', 'a1', 'store', 's1', '{}')`,
      );
      await agent.query(
        `INSERT INTO ${TEAM_SCHEMA}.deliveries (change_id, agent_id, store_id, event_key, outcome, started_at, payload) VALUES ('d1', 'a1', 's1', 'e', 'delivered', '2026-01-01', '{}')`,
      );
      expect((await agent.query(`SELECT count(*)::int AS n FROM ${TEAM_SCHEMA}.changes`)).rows[0].n).toBe(1);
      for (const sql of [
        `UPDATE ${TEAM_SCHEMA}.changes SET payload = '{"x":1}'`,
        `DELETE FROM ${TEAM_SCHEMA}.changes`,
        `UPDATE ${TEAM_SCHEMA}.deliveries SET outcome = 'failed'`,
        `DELETE FROM ${TEAM_SCHEMA}.deliveries`,
        `TRUNCATE ${TEAM_SCHEMA}.deliveries`,
        `DELETE FROM ${TEAM_SCHEMA}.team_key`,
        `DROP TABLE ${TEAM_SCHEMA}.changes`,
        `INSERT INTO ${TEAM_SCHEMA}.schema_migrations (version, name) VALUES (99, 'fake')`,
      ]) {
        await expect(agent.query(sql), sql).rejects.toThrow(/permission denied|must be owner/);
      }
      expect((await agent.query(`SELECT payload FROM ${TEAM_SCHEMA}.changes`)).rows[0].payload).toEqual({});
    } finally {
      await agent.end();
    }
  });

  it('the agent role cannot create the schema and is told which version is needed and how to migrate', async () => {
    const db = await server.createTeamDb({ migrate: false });
    const agent = await connect(db.agentUrl);
    try {
      await expect(migrateTeamSchema(agent)).rejects.toThrow(new RegExp(`needs version ${LATEST_TEAM_SCHEMA}.*npm run team-db -- --migrate`));
    } finally {
      await agent.end();
    }
    const owner = await connect(db.ownerUrl);
    try {
      expect(await migrateTeamSchema(owner)).toBe(LATEST_TEAM_SCHEMA);
      expect(await migrateTeamSchema(owner)).toBe(LATEST_TEAM_SCHEMA); // a second run changes nothing
      expect(await teamSchemaVersion(owner)).toBe(LATEST_TEAM_SCHEMA);
    } finally {
      await owner.end();
    }
  });

  it('a schema newer than the app knows is refused with a message and left alone', async () => {
    const db = await server.createTeamDb();
    const owner = await connect(db.ownerUrl);
    try {
      await owner.query(`INSERT INTO ${TEAM_SCHEMA}.schema_migrations (version, name) VALUES (${LATEST_TEAM_SCHEMA + 1}, 'future')`);
      await expect(migrateTeamSchema(owner)).rejects.toThrow(/newer version of Postscript Console.*Update the app/);
    } finally {
      await owner.end();
    }
  });
});
