/**
 * A real PostgreSQL for team tests: one server per test file (fresh data dir, free port), one
 * fresh database per test, with the owner and agent roles `npm run team-db` creates.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { initCluster, preparePostgres, startServer, type PgServer } from '../../scripts/local-postgres.mjs';
import { migrateTeamSchema, rolesSql } from '../../src-main/team/pgMigrations';
import { addAgent, agentRoleFor, agentUrl } from '../../src-main/team/teamAgents';

export interface TestPostgres {
  port: number;
  /** A fresh database with the team schema; URLs for the owner and for agents. */
  createTeamDb(options?: { migrate?: boolean }): Promise<TeamDb>;
  /** Stops the server (data kept) and starts it again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface TeamDb {
  name: string;
  ownerUrl: string;
  superUrl: string;
  /** The login of an agent shown as "Teammate" (made with the database). */
  agentUrl: string;
  /** A login of its own for an agent shown as `displayName` (made once per name and database). */
  agentUrlFor(displayName: string): Promise<string>;
}

/**
 * A client connected as `url`'s login. An error on the idle client (the server ending the session,
 * as removing an agent does) is ignored here; queries still fail with it.
 */
export async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const SUPER_PASSWORD = 'test-super';
let counter = 0;

export async function startPostgres(): Promise<TestPostgres> {
  const port = await freePort();
  // As root the server runs as the unprivileged `postgres` user: its data dir must be reachable.
  // (A checkout it cannot reach gets its binaries from the cache, or one line saying why not.)
  const pgInstall = await preparePostgres();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psc-pg-'));
  fs.chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  const flags = ['-c', 'fsync=off', '-c', 'max_connections=200'];
  initCluster(pgInstall, dataDir, SUPER_PASSWORD);
  let server: PgServer | null = await startServer(pgInstall, dataDir, port, flags);
  const superUrl = (db: string): string => `postgres://postgres:${SUPER_PASSWORD}@127.0.0.1:${port}/${db}`;
  let rolesMade = false;
  return {
    port,
    async createTeamDb(options = {}) {
      const name = `team_${process.pid}_${++counter}`;
      const admin = new pg.Client({ connectionString: superUrl('postgres') });
      await admin.connect();
      try {
        if (!rolesMade) {
          for (const sql of rolesSql('psc_owner', 'owner-pw', 'postgres')) await admin.query(sql);
          rolesMade = true;
        }
        await admin.query(`CREATE DATABASE ${name} OWNER psc_owner`);
        await admin.query(`GRANT CONNECT ON DATABASE ${name} TO postscript_agent`);
      } finally {
        await admin.end();
      }
      const ownerUrl = `postgres://psc_owner:owner-pw@127.0.0.1:${port}/${name}`;
      const owner = new pg.Client({ connectionString: ownerUrl });
      await owner.connect();
      try {
        if (options.migrate !== false) await migrateTeamSchema(owner);
      } finally {
        await owner.end();
      }
      const made = new Map<string, string>();
      // Roles are the server's, not the database's: each database's agents get names of their own.
      const agentUrlFor = async (displayName: string): Promise<string> => {
        const known = made.get(displayName);
        if (known !== undefined) return known;
        const role = `${agentRoleFor(displayName)}_${name}`;
        const c = new pg.Client({ connectionString: ownerUrl });
        await c.connect();
        try {
          if (options.migrate === false) {
            // No schema (and no agents table) yet: only the login.
            await c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'agent-pw' IN ROLE postscript_agent`);
            made.set(displayName, agentUrl(ownerUrl, role, 'agent-pw'));
          } else {
            made.set(displayName, agentUrl(ownerUrl, role, (await addAgent(c, displayName, role)).password));
          }
        } finally {
          await c.end();
        }
        return made.get(displayName)!;
      };
      return { name, ownerUrl, superUrl: superUrl(name), agentUrl: await agentUrlFor('Teammate'), agentUrlFor };
    },
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server = await startServer(pgInstall, dataDir, port, flags);
    },
    async close() {
      await server?.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One PostgreSQL server for a whole test file: started before its tests, stopped after them. */
export function withPostgres(use: (server: TestPostgres) => void): void {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    use(server);
  }, 60_000);
  // A fast shutdown waits for the consoles' sessions to end; on a loaded machine that can pass
  // vitest's 10 s default, failing a file whose tests all passed.
  afterAll(async () => {
    await server?.close();
  }, 60_000);
}
