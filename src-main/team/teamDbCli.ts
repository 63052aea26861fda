/**
 * `npm run team-db` (via scripts/team-db.mjs) sets a team database up on a server it can reach as
 * a superuser: the owner and agent roles, the database, the schema. `--migrate <owner URL>` only
 * brings the schema up to date (what an agent's console asks the owner to run).
 */
import pg from 'pg';
import { parseArgs } from '../config/args';
import { AGENT_GROUP_ROLE, LATEST_TEAM_SCHEMA, migrateTeamSchema, rolesSql } from './pgMigrations';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function setup(superUrl: string, database: string, ownerPw: string, agentPw: string): Promise<void> {
  const base = new URL(superUrl);
  await withClient(superUrl, async (c) => {
    const exists = (await c.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [AGENT_GROUP_ROLE])).rowCount! > 0;
    if (!exists) for (const sql of rolesSql('psc_owner', ownerPw, 'psc_agent', agentPw, 'postgres')) await c.query(sql);
    const db = (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database])).rowCount! > 0;
    if (!db) {
      await c.query(`CREATE DATABASE ${database} OWNER psc_owner`);
      await c.query(`GRANT CONNECT ON DATABASE ${database} TO ${AGENT_GROUP_ROLE}`);
    }
  });
  const url = (user: string, pw: string): string => {
    const u = new URL(base.toString());
    u.username = user;
    u.password = pw;
    u.pathname = `/${database}`;
    return u.toString();
  };
  const version = await withClient(url('psc_owner', ownerPw), migrateTeamSchema);
  process.stdout.write(
    [
      `Team database ready (schema version ${version}).`,
      `Owner URL (creates and migrates the schema; keep it to yourself): ${url('psc_owner', ownerPw)}`,
      `Agent URL, paste this into Settings → Team (read and append only): ${url('psc_agent', agentPw)}`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { migrate: 'string', super: 'string', database: 'string', 'owner-password': 'string', 'agent-password': 'string' });
  if (typeof args.migrate === 'string') {
    const v = await withClient(args.migrate, migrateTeamSchema);
    process.stdout.write(`Team schema is at version ${v} (this app's latest: ${LATEST_TEAM_SCHEMA}).\n`);
    return;
  }
  if (typeof args.super !== 'string') throw new Error('Give --super <superuser URL> or --migrate <owner URL>.');
  await setup(args.super, typeof args.database === 'string' ? args.database : 'postscript_team', String(args['owner-password']), String(args['agent-password']));
}

main().catch((err: unknown) => {
  process.stderr.write(`team-db: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
