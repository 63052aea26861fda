/**
 * Live Postscript over a real network (issue 13): a real HTTP CONNECT proxy started here, the
 * Sandbox served over HTTPS with a certificate from a CA made by this test (as a network with TLS
 * inspection re-signs traffic), proxy credentials, a dead proxy, and the Settings that fix each.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../src-main/sandbox/server';
import { closedPort, startConnectProxy, type TestProxy } from '../helpers/connectProxy';
import { coresPerTest, type TestCore } from '../helpers/core';
import { makeTestPki, type TestPki } from '../helpers/testCa';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();
// The test CA is made with the system's openssl (Debian and CI have it).
const hasOpenssl = ((): boolean => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasOpenssl) console.warn('Skipping the proxy/TLS tests: no openssl on PATH to make a test CA.');
let tmp: { dir: string; cleanup: () => void };
let pki: TestPki;
let live: Sandbox;
let liveUrl: string;
let apiKey: string;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  if (!hasOpenssl) return;
  tmp = makeTempDir();
  pki = makeTestPki(tmp.dir);
  live = new Sandbox({ tls: pki.server });
  liveUrl = await live.listen(0, '127.0.0.1');
  apiKey = live.state.createShop('Acme Live').privateKey;
});
afterAll(async () => {
  for (const c of closers.splice(0)) await c();
  if (!hasOpenssl) return;
  await live.close();
  tmp.cleanup();
});

async function proxy(options: Parameters<typeof startConnectProxy>[0] = {}): Promise<TestProxy> {
  const p = await startConnectProxy(options);
  closers.push(() => p.close());
  return p;
}

const liveStore = (key: string) => ({
  name: 'Acme Live',
  shopDomain: `acme-${Math.random().toString(36).slice(2, 8)}`,
  account: 'live' as const,
  testPhone: '+15555550100',
  credential: { kind: 'paste' as const, apiKey: key },
});

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!hasOpenssl)('through a CONNECT proxy to HTTPS signed by a company CA', () => {
  it('works once the CA is trusted in Settings: the key is checked and a test is delivered through the proxy', async () => {
    const p = await proxy();
    const c = await core();
    const view = await c.ok('settings', 'save', { liveBaseUrl: liveUrl, proxyUrl: p.url, caFile: pki.caFile });
    expect(view.proxyUrl).toMatchObject({ effective: p.url, source: 'app' });
    expect(view.caFile.subjects.join()).toMatch(/Acme Corp Inspection CA/);
    expect(await c.ok('settings', 'checkConnection', {})).toMatchObject({ ok: true });
    const store = await c.ok('stores', 'create', liveStore(apiKey));
    expect(store).toMatchObject({ keyStatus: 'valid', postscriptShopName: 'Acme Live', testUserStatus: 'ok' });
    await c.ok('triggers', 'set', { storeId: store.id, eventKey: 'subscription_created', enabled: true });
    const { item } = await c.sendTest(store.id, 'subscription_created');
    expect(item.state).toBe('delivered');
    expect(p.tunnels).toBeGreaterThan(0);
  });

  it('without the CA says the network re-signs HTTPS and what to add; the store waits unchecked and is checked by itself once the CA is added', async () => {
    const p = await proxy();
    const c = await core();
    await c.ok('settings', 'save', { liveBaseUrl: liveUrl, proxyUrl: p.url });
    const check = await c.ok('settings', 'checkConnection', {});
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(/not issued by an authority this app trusts.*re-signs HTTPS.*Settings → Network → CA file/);
    expect(check.message).not.toMatch(/fetch failed/);
    const store = await c.ok('stores', 'create', liveStore(apiKey));
    expect(store.keyStatus).toBe('unchecked');
    expect((await c.ok('outbox', 'status', {})).offline[0]?.reason).toMatch(/re-signs HTTPS/);
    await c.ok('settings', 'save', { caFile: pki.caFile });
    const checked = await waitFor(() => c.ok('stores', 'get', { storeId: store.id }), (s) => s.keyStatus === 'valid' && s.testUserStatus !== 'unchecked');
    expect(checked).toMatchObject({ postscriptShopName: 'Acme Live', testUserStatus: 'ok' });
    expect(c.sentToRenderer.some((m) => /"alert".*Acme Live was checked with Postscript/.test(m))).toBe(true);
  });

  it('tells a certificate for another host apart', async () => {
    const other = new Sandbox({ tls: pki.otherHost });
    const url = await other.listen(0, '127.0.0.1');
    closers.push(() => other.close());
    const c = await core();
    await c.ok('settings', 'save', { liveBaseUrl: url, caFile: pki.caFile });
    const check = await c.ok('settings', 'checkConnection', {});
    expect(check.message).toMatch(/is for a different host \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
  });
});

describe.skipIf(!hasOpenssl)('proxy failures name the proxy and what to change', () => {
  it('a proxy that asks for credentials (407): refused without them, works with them; the password never leaves main', async () => {
    const p = await proxy({ auth: { user: 'agent', password: 's3cret-pass' } });
    const c = await core();
    await c.ok('settings', 'save', { liveBaseUrl: liveUrl, proxyUrl: p.url, caFile: pki.caFile });
    const refused = await c.ok('settings', 'checkConnection', {});
    expect(refused.message).toBe(`The proxy ${p.url} asks for a user name and password (407). Enter them in Settings → Network → Proxy (or correct them there). Nothing was sent.`);
    const view = await c.ok('settings', 'save', { proxyUsername: 'agent', proxyPassword: 's3cret-pass' });
    expect(view).toMatchObject({ proxyUsername: 'agent', proxyPasswordMask: '••••' });
    expect(await c.ok('settings', 'checkConnection', {})).toMatchObject({ ok: true });
    expect(p.credentialsSeen).toContain('agent:s3cret-pass');
    // Encrypted at rest, never in anything sent to the renderer.
    expect(c.sentToRenderer.join('\n')).not.toContain('s3cret-pass');
    const dbFiles = fs.readdirSync(c.dir).filter((f) => f.startsWith('console.sqlite3'));
    for (const f of dbFiles) expect(fs.readFileSync(path.join(c.dir, f)).includes('s3cret-pass')).toBe(false);
  });

  it('a dead proxy', async () => {
    const port = await closedPort();
    const c = await core();
    await c.ok('settings', 'save', { liveBaseUrl: liveUrl, proxyUrl: `http://127.0.0.1:${port}`, caFile: pki.caFile });
    const check = await c.ok('settings', 'checkConnection', {});
    expect(check.message).toMatch(new RegExp(`Could not reach the proxy http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\).*Settings → Network → Proxy`));
    const r = await c.call('stores', 'checkHealth', { storeId: (await c.ok('stores', 'create', liveStore(apiKey))).id });
    expect(!r.ok && r.error.message).toMatch(/Could not reach the proxy/);
  });

  it('a proxy that refuses the tunnel', async () => {
    const p = await proxy({ refuse: true });
    const c = await core();
    await c.ok('settings', 'save', { liveBaseUrl: liveUrl, proxyUrl: p.url, caFile: pki.caFile });
    expect((await c.ok('settings', 'checkConnection', {})).message).toMatch(new RegExp(`The proxy ${p.url.replace(/\./g, '\\.')} refused to connect to 127\\.0\\.0\\.1:\\d+ \\(it answered 403\\)`));
  });

  it('honours HTTPS_PROXY and NO_PROXY, and a proxy set in the app wins over them', async () => {
    const envProxy = await proxy();
    const appProxy = await proxy();
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
    process.env.HTTPS_PROXY = envProxy.url;
    try {
      const c = await core();
      const view = await c.ok('settings', 'save', { liveBaseUrl: liveUrl, caFile: pki.caFile });
      expect(view.proxyUrl).toMatchObject({ effective: envProxy.url, source: 'env' });
      expect(view.proxyUrl.note).toMatch(/HTTPS_PROXY/);
      expect(await c.ok('settings', 'checkConnection', {})).toMatchObject({ ok: true, via: `${envProxy.url} (HTTPS_PROXY)` });
      expect(view.noProxyNote).toBeNull();
      expect(envProxy.tunnels).toBe(1);

      await c.ok('settings', 'save', { proxyUrl: appProxy.url });
      await c.ok('settings', 'checkConnection', {});
      expect([envProxy.tunnels, appProxy.tunnels]).toEqual([1, 1]);

      await c.ok('settings', 'save', { proxyUrl: null });
      process.env.NO_PROXY = '127.0.0.1';
      const withNoProxy = await c.ok('settings', 'save', { liveBaseUrl: `${liveUrl}/` }); // any route change re-reads the environment
      // The environment's NO_PROXY is named on the screen, and the check says the route it took: direct.
      expect(withNoProxy.noProxyNote).toBe('In use: NO_PROXY=127.0.0.1 from the environment, with HTTPS_PROXY: those hosts are reached directly.');
      expect(await c.ok('settings', 'checkConnection', {})).toMatchObject({
        ok: true,
        via: `direct: 127.0.0.1 is in NO_PROXY (127.0.0.1), so the proxy ${envProxy.url} (HTTPS_PROXY) is not used`,
      });
      expect(envProxy.tunnels).toBe(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe.skipIf(!hasOpenssl)('settings: refused with the reason, nothing half-saved, applied without a restart', () => {
  it('refuses a malformed URL, a plain-http remote URL, an unreadable CA file and a port in use', async () => {
    const c = await core();
    const before = await c.ok('settings', 'get', {});
    const cases: Array<[Parameters<TestCore['call']>[2], string, RegExp]> = [
      [{ liveBaseUrl: 'api.postscript' }, 'liveBaseUrl', /is not a URL/],
      [{ liveBaseUrl: 'http://api.postscript.io' }, 'liveBaseUrl', /Use https:\/\/ for api\.postscript\.io/],
      [{ caFile: path.join(tmp.dir, 'missing.pem') }, 'caFile', /cannot be read: there is no such file/],
      [{ caFile: path.join(tmp.dir, 'sandbox.key') }, 'caFile', /holds no PEM certificate/],
      [{ proxyUrl: 'http://user:pw@proxy:8080' }, 'proxyUrl', /user name and password in their own fields/],
    ];
    for (const [input, field, message] of cases) {
      const r = await c.call('settings', 'save', input as never);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_input', field, message: expect.stringMatching(message) });
    }
    // A port in use, together with a valid URL: neither is saved.
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise((r) => taken.close(() => r())));
    const port = (taken.address() as net.AddressInfo).port;
    const r = await c.call('settings', 'save', { liveBaseUrl: 'https://staging.example.com', listenerPort: port, retentionDays: 7 });
    expect(!r.ok && r.error).toMatchObject({ field: 'listenerPort', message: expect.stringMatching(new RegExp(`port ${port} is already in use.*Nothing was saved`)) });
    const after = await c.ok('settings', 'get', {});
    expect(after).toEqual(before);
  });

  it('moves the webhook listener at once, and says when launch settings win', async () => {
    const c = await core();
    const port = await closedPort();
    const before = await c.ok('settings', 'get', {});
    expect(before.listenerPort.source).toBe('launch'); // tests start the listener on port 0
    const view = await c.ok('settings', 'save', { listenerPort: port });
    expect(view.listenerPort).toMatchObject({ saved: String(port), source: 'launch', note: expect.stringMatching(/wins over this setting/) });
    const host = await c.ok('settings', 'save', { listenerHost: '127.0.0.1', retentionDays: 30 });
    expect(host.retentionDays).toBe(30);
    expect((await c.ok('deliveries', 'stats', {})).retentionDays).toBe(30);
  });
});
