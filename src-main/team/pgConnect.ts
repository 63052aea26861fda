/**
 * Connecting to the team database: TLS per the agent's choice, and every failure turned into a
 * sentence that says what happened and what to do.
 */
import fs from 'node:fs';
import pg from 'pg';
import { TeamSchemaError } from './pgMigrations';
import { OtherTeamError } from './teamIdentity';
import { ProxyTunnel, ProxyTunnelError, type TeamProxy } from './pgTunnel';

export type TlsMode = 'disable' | 'require' | 'verify-full';

export interface TeamConnection {
  /** postgres://user:password@host:port/db (the password is kept encrypted, never shown). */
  url: string;
  tlsMode: TlsMode;
  caFile: string | null;
  /**
   * The proxy to reach it through, asked at each connect (Settings can change it while running):
   * the app's proxy setting, as for live Postscript; null when direct.
   */
  proxy?: () => TeamProxy | null;
}

export function clientConfig(conn: TeamConnection): pg.ClientConfig {
  const url = new URL(conn.url);
  // TLS is decided by tlsMode alone, not by parameters pasted into the URL.
  for (const p of ['sslmode', 'sslcert', 'sslkey', 'sslrootcert']) url.searchParams.delete(p);
  let ssl: pg.ClientConfig['ssl'] = false;
  if (conn.tlsMode === 'require') ssl = { rejectUnauthorized: false };
  if (conn.tlsMode === 'verify-full') {
    ssl = conn.caFile === null ? { rejectUnauthorized: true } : { rejectUnauthorized: true, ca: fs.readFileSync(conn.caFile, 'utf8') };
  }
  const proxy = conn.proxy?.() ?? null;
  return {
    connectionString: url.toString(),
    ssl,
    connectionTimeoutMillis: 5000,
    keepAlive: true,
    application_name: 'postscript-console',
    // TLS (when on) runs inside the tunnel, end to end with PostgreSQL: the proxy sees ciphertext.
    ...(proxy === null ? {} : { stream: () => new ProxyTunnel(proxy) }),
  };
}

export async function connectTeam(conn: TeamConnection): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(conn));
  // An error on an idle connection must not end the process: the worker notices and reconnects.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}

/** Host and database of a URL, for messages (never the password). */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port === '' ? '' : `:${u.port}`}${u.pathname}`;
  } catch {
    return 'the team database';
  }
}

export function isValidTeamUrl(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return 'The team database URL starts with postgres:// (e.g. postgres://agent:password@host:5432/team).';
    if (u.hostname === '') return 'The team database URL has no host.';
    return null;
  } catch {
    return 'That is not a URL. Paste the line `npm run team-db` printed, e.g. postgres://agent:password@host:5432/team.';
  }
}

/** What the agent reads in the team status when connecting or syncing fails. */
export function explainPgError(err: unknown, url: string): string {
  const target = describeTarget(url);
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const msg = e.message ?? String(err);
  if (err instanceof TeamSchemaError || err instanceof ProxyTunnelError || err instanceof OtherTeamError) return err.message;
  if (code === '28P01' || code === '28000') return `The team database at ${target} refused the user name or password. Check the connection URL (ask your team lead for the agent URL).`;
  if (code === '3D000') return `There is no database ${target}: check the database name at the end of the URL.`;
  if (code === 'ECONNREFUSED') return `Nothing answers at ${target} (connection refused). Is the team database running? Working offline; changes wait here.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host of ${target} is not known. Check the URL's host name. Working offline; changes wait here.`;
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timeout/i.test(msg)) {
    return `The team database at ${target} cannot be reached (no answer). Working offline; changes wait here.`;
  }
  if (/does not support SSL/i.test(msg)) return `The team database at ${target} does not accept TLS. Set TLS mode to "disable" only if the network to it is trusted.`;
  if (/self[- ]signed|unable to verify|certificate|altnames/i.test(msg) || code.startsWith('ERR_TLS') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN') {
    return `The team database's TLS certificate was refused (${msg}). Choose its CA file in Settings → Team, or check the host name.`;
  }
  if (/no pg_hba\.conf entry/i.test(msg) && /SSL off|no encryption/i.test(msg)) return `The team database at ${target} requires TLS: set TLS mode to "require" or "verify-full".`;
  if (code === '57P01' || code === '57P02' || code === '57P03' || /terminat|Connection ended|ECONNRESET|closed|not queryable|connection error|shutting down/i.test(msg) || code === 'ECONNRESET') {
    return `The team database at ${target} closed the connection (restarted?). Reconnecting; nothing is lost.`;
  }
  if (code === '42501') return `The team database refused this role (${msg}). Ask your team lead for the agent URL from \`npm run team-db\`.`;
  return `The team database at ${target} answered with an error: ${msg}`;
}
