/**
 * Turns TLS on for a running test PostgreSQL (`ssl=on` with a server certificate from the test's
 * own CA), without a restart: PostgreSQL re-reads its TLS settings on reload.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export async function enableTls(superUrl: string, server: { cert: string; key: string }): Promise<void> {
  const admin = new pg.Client({ connectionString: superUrl });
  await admin.connect();
  try {
    // The key must belong to the user the server runs as (it may be `postgres` while we are root), 0600.
    const dataDir = (await admin.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
    const owner = fs.statSync(dataDir);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psc-pg-tls-'));
    fs.chmodSync(dir, 0o755);
    const certFile = path.join(dir, 'server.crt');
    const keyFile = path.join(dir, 'server.key');
    fs.writeFileSync(certFile, server.cert, { mode: 0o644 });
    fs.writeFileSync(keyFile, server.key, { mode: 0o600 });
    if (process.getuid?.() === 0) for (const f of [dir, certFile, keyFile]) fs.chownSync(f, owner.uid, owner.gid);
    const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
    await admin.query(`ALTER SYSTEM SET ssl_cert_file = ${lit(certFile)}`);
    await admin.query(`ALTER SYSTEM SET ssl_key_file = ${lit(keyFile)}`);
    await admin.query('ALTER SYSTEM SET ssl = on');
    await admin.query('SELECT pg_reload_conf()');
  } finally {
    await admin.end();
  }
}
