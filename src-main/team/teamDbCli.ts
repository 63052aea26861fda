/**
 * `npm run team-db` (via scripts/team-db.mjs) sets a team database up on a server it can reach as
 * a superuser: the owner role and the agent group, the database, the schema, and one login per
 * agent (`--agents ana,ben`, `--add-agent`, `--remove-agent`). Agents' passwords are kept in the
 * `--credentials` file (0600) so a later run prints the same URLs. `--migrate <owner URL>` only
 * brings the schema up to date; `--owner <owner URL>` with `--add-agent`, `--remove-agent` or
 * `--list-agents` manages agents of a team database elsewhere, as its owner.
 */
import fs from 'node:fs';
import pg from 'pg';
import { parseArgs } from '../config/args';
import { AGENT_GROUP_ROLE, LATEST_TEAM_SCHEMA, migrateTeamSchema, rolesSql, TEAM_SCHEMA } from './pgMigrations';
import { addAgent, agentRoleFor, agentUrl, listAgents, removeAgent, resetAgentPassword } from './teamAgents';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

interface Credentials {
  agents?: Record<string, string>;
}

function readCredentials(file: string | null): Credentials {
  if (file === null) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Credentials;
  } catch {
    return {};
  }
}

function writeCredentials(file: string | null, creds: Credentials): void {
  if (file === null) return;
  const all = { ...(JSON.parse(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '{}') as object), ...creds };
  fs.writeFileSync(file, JSON.stringify(all, null, 2), { mode: 0o600 });
}

const roleOf = (nameOrRole: string): string => (nameOrRole.startsWith('psc_') ? nameOrRole : agentRoleFor(nameOrRole));

/** Adds and removes agents as the owner; prints one line per agent with their own URL. */
async function manageAgents(ownerUrl: string, add: string[], remove: string[], credsFile: string | null, removeUrl = ownerUrl): Promise<void> {
  const creds = readCredentials(credsFile);
  const passwords = { ...(creds.agents ?? {}) };
  // Removing goes as the superuser when there is one: a login made before the owner kept the
  // agents (the shared psc_agent) is not the owner's to change.
  for (const who of remove) {
    const role = roleOf(who);
    await withClient(removeUrl, async (c) => {
      const { sessionsEnded } = await removeAgent(c, role);
      delete passwords[role];
      say(`Removed ${role}: the login is off and ${sessionsEnded} open session(s) were ended. Rotate the team key next (Team screen → Rotate team key): the agent may have kept the old one.`);
    });
  }
  await withClient(ownerUrl, async (c) => {
    const active = new Map((await listAgents(c)).filter((a) => a.removedAt === null).map((a) => [a.role, a]));
    for (const name of add) {
      const role = agentRoleFor(name);
      if (active.has(role)) {
        if (passwords[role] === undefined) passwords[role] = await resetAgentPassword(c, role);
        continue;
      }
      const made = await addAgent(c, name, role);
      passwords[made.role] = made.password;
    }
    writeCredentials(credsFile, { agents: passwords });
    for (const a of await listAgents(c)) {
      if (a.removedAt !== null) continue;
      const pw = passwords[a.role];
      say(pw === undefined ? `agent ${a.displayName}: login ${a.role} (password not kept here; --add-agent ${a.displayName} gives a new one)` : `agent ${a.displayName}: ${agentUrl(ownerUrl, a.role, pw)}`);
    }
  });
}

async function setup(superUrl: string, database: string, ownerPw: string, agents: string[], remove: string[], credsFile: string | null, legacyAgentPw: string | null): Promise<void> {
  const base = new URL(superUrl);
  await withClient(superUrl, async (c) => {
    const exists = (await c.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [AGENT_GROUP_ROLE])).rowCount! > 0;
    if (!exists) for (const sql of rolesSql('psc_owner', ownerPw, 'postgres')) await c.query(sql);
    // A team database set up before per-agent logins: the owner now keeps the agents.
    else for (const sql of [`ALTER ROLE psc_owner CREATEROLE`, `GRANT ${AGENT_GROUP_ROLE} TO psc_owner WITH ADMIN OPTION`, `GRANT pg_signal_backend TO psc_owner`]) await c.query(sql);
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
  const ownerUrl = url('psc_owner', ownerPw);
  const { version, teamId } = await withClient(ownerUrl, async (c) => {
    const v = await migrateTeamSchema(c);
    return { version: v, teamId: (await c.query<{ team_id: string }>(`SELECT team_id FROM ${TEAM_SCHEMA}.team`)).rows[0]?.team_id ?? '?' };
  });
  say(`Team database ready (schema version ${version}, team ${teamId}).`);
  say(`Owner URL (creates and migrates the schema, adds and removes agents; keep it to yourself): ${ownerUrl}`);
  await manageAgents(ownerUrl, agents, remove, credsFile, url(base.username, decodeURIComponent(base.password)));
  const legacy = legacyAgentPw === null ? false : await withClient(superUrl, async (c) => (await c.query(`SELECT 1 FROM pg_roles WHERE rolname = 'psc_agent' AND rolcanlogin`)).rowCount! > 0);
  if (legacy) say(`Shared agent URL from before per-agent logins (remove it with --remove-agent psc_agent once everyone has their own): ${url('psc_agent', legacyAgentPw!)}`);
  if (agents.length === 0 && !legacy) say('Add agents, each with a login of their own: npm run team-db -- --agents ana,ben');
}

const list = (v: unknown): string[] => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : []);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    migrate: 'string', super: 'string', owner: 'string', database: 'string', 'owner-password': 'string', 'agent-password': 'string',
    agents: 'string', 'add-agent': 'string', 'remove-agent': 'string', 'list-agents': 'boolean', credentials: 'string',
  });
  if (typeof args.migrate === 'string') {
    const v = await withClient(args.migrate, migrateTeamSchema);
    say(`Team schema is at version ${v} (this app's latest: ${LATEST_TEAM_SCHEMA}).`);
    return;
  }
  const add = [...list(args.agents), ...list(args['add-agent'])];
  const remove = list(args['remove-agent']);
  const credsFile = typeof args.credentials === 'string' ? args.credentials : null;
  if (typeof args.owner === 'string') {
    await manageAgents(args.owner, add, remove, credsFile);
    return;
  }
  if (typeof args.super !== 'string') throw new Error('Give --super <superuser URL>, --owner <owner URL> with --add-agent/--remove-agent/--list-agents, or --migrate <owner URL>.');
  await setup(
    args.super, typeof args.database === 'string' ? args.database : 'postscript_team', String(args['owner-password']), add, remove, credsFile,
    typeof args['agent-password'] === 'string' ? args['agent-password'] : null,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`team-db: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
