/**
 * The team database from a company network: PostgreSQL served over TLS with a certificate from the
 * test's own CA (verify-full), and reached through the app's HTTP proxy as a CONNECT tunnel.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectProxy, type TestProxy } from '../helpers/connectProxy';
import { coresPerTest, type TestCore } from '../helpers/core';
import { withPostgres, type TestPostgres } from '../helpers/postgres';
import { enableTls } from '../helpers/postgresTls';
import { eventually } from '../helpers/teamConsoles';
import { makeTestPki, type TestPki } from '../helpers/testCa';
import { makeTempDir } from '../helpers/tmp';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});

const core = coresPerTest();
let pki!: TestPki;
let superUrl!: string;
const pkiDir = makeTempDir();
const proxies: TestProxy[] = [];

beforeAll(async () => {
  pki = makeTestPki(pkiDir.dir);
  superUrl = (await server.createTeamDb()).superUrl;
  await enableTls(superUrl, pki.server);
  // The reload is asynchronous: wait until the server offers TLS.
  await eventually('PostgreSQL to offer TLS', async () => {
    const c = new pg.Client({ connectionString: superUrl, ssl: { rejectUnauthorized: false } });
    try {
      await c.connect();
      return true;
    } catch {
      return undefined;
    } finally {
      await c.end().catch(() => undefined);
    }
  }, 10_000);
}, 60_000);

afterAll(async () => {
  for (const p of proxies) await p.close();
  pkiDir.cleanup();
});

async function proxy(options: Parameters<typeof startConnectProxy>[0] = {}): Promise<TestProxy> {
  const p = await startConnectProxy(options);
  proxies.push(p);
  return p;
}

async function settledStatus(c: TestCore): Promise<{ state: string; message: string | null }> {
  return eventually('the team status to settle', async () => {
    const s = await c.ok('team', 'status', {});
    return s.state === 'connected' || (s.state === 'offline' && s.message !== null) ? s : undefined;
  }, 10_000);
}

/** Whether PostgreSQL itself says this console's connections are encrypted. */
async function consoleSessionsUseTls(dbName: string): Promise<boolean[]> {
  const admin = new pg.Client({ connectionString: superUrl });
  await admin.connect();
  try {
    const r = await admin.query<{ ssl: boolean }>(
      `SELECT s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.application_name = 'postscript-console' AND a.datname = $1`,
      [dbName],
    );
    return r.rows.map((x) => x.ssl);
  } finally {
    await admin.end();
  }
}

describe('TLS verify-full', () => {
  it('connects with the CA file that issued the server certificate, and the server sees TLS', async () => {
    const db = await server.createTeamDb();
    const c = await core({ teamPollMs: 60_000 });
    await c.ok('team', 'configure', { url: db.agentUrl, tlsMode: 'verify-full', caFile: pki.caFile, agentName: 'Ana' });
    expect(await settledStatus(c)).toMatchObject({ state: 'connected', message: null });
    const sessions = await consoleSessionsUseTls(db.name);
    expect(sessions.length).toBeGreaterThanOrEqual(2); // queries and LISTEN
    expect(sessions.every((ssl) => ssl)).toBe(true);
  }, 30_000);

  it('without that CA the certificate is refused, in words, and nothing connects', async () => {
    const db = await server.createTeamDb();
    const c = await core({ teamPollMs: 60_000 });
    await c.ok('team', 'configure', { url: db.agentUrl, tlsMode: 'verify-full', caFile: null, agentName: 'Ana' });
    const s = await settledStatus(c);
    expect(s.state).toBe('offline');
    expect(s.message).toMatch(/^The team database's TLS certificate was refused \(.+\)\. Choose its CA file in Settings → Team, or check the host name\.$/);
    expect(await consoleSessionsUseTls(db.name)).toEqual([]);
  }, 30_000);
});

describe('through the app’s proxy (HTTP CONNECT)', () => {
  it('the proxy set in Settings carries the team connection, TLS verified end to end inside the tunnel', async () => {
    const db = await server.createTeamDb();
    const p = await proxy();
    const c = await core({ teamPollMs: 60_000 });
    await c.ok('settings', 'save', { proxyUrl: p.url });
    await c.ok('team', 'configure', { url: db.agentUrl, tlsMode: 'verify-full', caFile: pki.caFile, agentName: 'Ana' });
    expect(await settledStatus(c)).toMatchObject({ state: 'connected', message: null });
    expect(p.tunnels).toBeGreaterThanOrEqual(2);
    expect((await consoleSessionsUseTls(db.name)).every((ssl) => ssl)).toBe(true);
    // The passphrase check goes the same way (its own connection).
    const before = p.tunnels;
    await c.ok('team', 'setPassphrase', { passphrase: 'correct horse battery staple' });
    expect(p.tunnels).toBe(before + 1);
  }, 30_000);

  it('a proxy that only tunnels to port 443 is named, with the port it refused and what to do', async () => {
    const db = await server.createTeamDb();
    const p = await proxy({ onlyPorts: [443] });
    const c = await core({ teamPollMs: 60_000 });
    await c.ok('settings', 'save', { proxyUrl: p.url });
    await c.ok('team', 'configure', { url: db.agentUrl, tlsMode: 'disable', caFile: null, agentName: 'Ana' });
    const s = await settledStatus(c);
    expect(s.state).toBe('offline');
    expect(s.message).toBe(
      `The proxy ${p.url} (set in Settings → Network) refused to open a tunnel to the team database at 127.0.0.1:${server.port} (403 Forbidden). ` +
        `Many company proxies only allow port 443: ask IT to allow port ${server.port} to that host, or add the host to "No proxy for" in Settings → Network if it can be reached without the proxy.`,
    );
    expect(p.tunnels).toBe(0);
  }, 30_000);

  it('a proxy that wants credentials says so; with them saved, it connects', async () => {
    const db = await server.createTeamDb();
    const p = await proxy({ auth: { user: 'ana', password: 'proxy-pw' } });
    const c = await core({ teamPollMs: 60_000 });
    await c.ok('settings', 'save', { proxyUrl: p.url });
    await c.ok('team', 'configure', { url: db.agentUrl, tlsMode: 'disable', caFile: null, agentName: 'Ana' });
    expect((await settledStatus(c)).message).toBe(
      `The proxy ${p.url} (set in Settings → Network) wants a user name and password to reach the team database at 127.0.0.1:${server.port}: enter them in Settings → Network.`,
    );
    await c.ok('settings', 'save', { proxyUrl: p.url, proxyUsername: 'ana', proxyPassword: 'proxy-pw' });
    await eventually('connected through the proxy', async () => ((await c.ok('team', 'status', {})).state === 'connected' ? true : undefined), 10_000);
    expect(p.credentialsSeen).toContain('ana:proxy-pw');
  }, 30_000);

  it('a host listed under "No proxy for" is reached directly', async () => {
    const db = await server.createTeamDb();
    const p = await proxy();
    const c = await core({ teamPollMs: 60_000 });
    await c.ok('settings', 'save', { proxyUrl: p.url, noProxy: 'localhost, 127.0.0.1' });
    await c.ok('team', 'configure', { url: db.agentUrl, tlsMode: 'disable', caFile: null, agentName: 'Ana' });
    expect(await settledStatus(c)).toMatchObject({ state: 'connected' });
    expect(p.tunnels).toBe(0);
  }, 30_000);
});
