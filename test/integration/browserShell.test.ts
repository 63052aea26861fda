/** The browser shell's transport: the contract over loopback HTTP, guarded by the launch token. */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserShell, type BrowserShell } from '../../src-main/shells/browser/server';
import { startCore, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';

let tc: TestCore;
let shell: BrowserShell;
let cookie: string;
const assets = makeTempDir('psc-assets-');

beforeAll(async () => {
  fs.writeFileSync(path.join(assets.dir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  fs.writeFileSync(path.join(assets.dir, 'bridge.js'), '/* bridge */');
  fs.writeFileSync(path.join(assets.dir, 'secret.txt'), 'outside the renderer');
  fs.mkdirSync(path.join(assets.dir, 'renderer', 'assets'), { recursive: true });
  fs.copyFileSync(path.join(assets.dir, 'index.html'), path.join(assets.dir, 'renderer', 'index.html'));
  fs.writeFileSync(path.join(assets.dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  tc = await startCore();
  shell = await startBrowserShell({ core: tc.core, rendererDir: path.join(assets.dir, 'renderer'), bridgeFile: path.join(assets.dir, 'bridge.js'), token: 'test-token-0123456789' });
  const res = await fetch(shell.launchUrl, { redirect: 'manual' });
  expect(res.status).toBe(303);
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await shell.close();
  await tc.close();
  assets.cleanup();
});

/** A raw request, so tests can set Host and Origin as an attacker would. */
function raw(method: string, urlPath: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const u = new URL(shell.origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: urlPath, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const host = (): string => new URL(shell.origin).host;

describe('browser shell', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(new URL(shell.origin).hostname).toBe('127.0.0.1');
  });

  it('trades the launch token for an HttpOnly, SameSite=Strict cookie', async () => {
    const res = await fetch(shell.launchUrl, { redirect: 'manual' });
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(res.headers.get('location')).toBe('/');
  });

  it('refuses everything without the token, and a wrong token', async () => {
    expect((await raw('GET', '/', { host: host() })).status).toBe(401);
    expect((await raw('GET', '/?token=guess', { host: host() })).status).toBe(401);
    expect((await raw('POST', '/__ipc/stores:list', { host: host(), 'content-type': 'application/json' }, '{}')).status).toBe(401);
    expect((await raw('GET', '/__events', { host: host() })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await raw('GET', '/', { host: 'evil.example:80', cookie })).status).toBe(421);
  });

  it('refuses a cross-origin write and a non-JSON body', async () => {
    expect((await raw('POST', '/__ipc/stores:list', { host: host(), cookie, origin: 'http://evil.example', 'content-type': 'application/json' }, '{}')).status).toBe(403);
    expect((await raw('POST', '/__ipc/stores:list', { host: host(), cookie, 'content-type': 'text/plain' }, '{}')).status).toBe(415);
  });

  it('serves the page with the bridge injected before the renderer, under a strict CSP', async () => {
    const res = await raw('GET', '/', { host: host(), cookie });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/<head>\s*<script src="\/__shell\/bridge.js"><\/script>/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe/);
  });

  it('serves renderer assets but nothing outside the renderer directory', async () => {
    expect((await raw('GET', '/assets/app.js', { host: host(), cookie })).status).toBe(200);
    expect((await raw('GET', '/../secret.txt', { host: host(), cookie })).status).toBe(404);
    expect((await raw('GET', '/assets/..%2F..%2Fsecret.txt', { host: host(), cookie })).status).toBe(404);
  });

  it('carries contract calls and their typed errors', async () => {
    const ok = await raw('POST', '/__ipc/stores:list', { host: host(), cookie, origin: shell.origin, 'content-type': 'application/json' }, '{}');
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: [] });
    const bad = await raw('POST', '/__ipc/stores:get', { host: host(), cookie, 'content-type': 'application/json' }, JSON.stringify({ storeId: 'missing' }));
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const unknown = await raw('POST', '/__ipc/fs:read', { host: host(), cookie, 'content-type': 'application/json' }, '{}');
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('hands over a file the app made as a download, and nothing else of the exports folder', async () => {
    const { exportsDir } = tc.core.ctx;
    fs.mkdirSync(exportsDir, { recursive: true });
    fs.writeFileSync(path.join(exportsDir, 'postscript-deliveries-20261207-010000.csv'), 'id,store\r\n1,Acme\r\n');
    fs.writeFileSync(path.join(exportsDir, 'holiday-photos.csv'), 'not the app’s');
    fs.symlinkSync(path.join(assets.dir, 'secret.txt'), path.join(exportsDir, 'batch-2026-12-07-01-00-00.csv'));
    const got = await raw('GET', '/__files/postscript-deliveries-20261207-010000.csv', { host: host(), cookie });
    expect(got.status).toBe(200);
    expect(got.headers['content-disposition']).toBe('attachment; filename="postscript-deliveries-20261207-010000.csv"');
    expect(got.headers['content-type']).toMatch(/^text\/csv/);
    expect(got.body).toBe('id,store\r\n1,Acme\r\n');
    // Without the session cookie, nothing.
    expect((await raw('GET', '/__files/postscript-deliveries-20261207-010000.csv', { host: host() })).status).toBe(401);
    // Not a name the app gives, a link out of the folder, a path out of it, a file that is gone.
    for (const name of ['holiday-photos.csv', 'batch-2026-12-07-01-00-00.csv', '..%2Fconsole.sqlite3', 'readiness-gone-20261207-010000.pdf']) {
      const res = await raw('GET', `/__files/${name}`, { host: host(), cookie });
      expect(res.status, name).toBe(404);
      expect(res.body).not.toContain('outside the renderer');
    }
    // The batch CSV is kept there too, and served by the name it was given.
    const store = await tc.ok('stores', 'create', { name: 'Acme', shopDomain: 'acme-dl', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await tc.ok('triggers', 'set', { storeId: store.id, eventKey: 'billing_reminder', enabled: true });
    const { batch } = await tc.ok('batches', 'create', { name: 'Download me', stores: { kind: 'all' }, events: { kind: 'enabled' } });
    const made = await tc.ok('batches', 'exportCsv', { batchId: batch.id });
    expect(path.dirname(made.path)).toBe(exportsDir);
    expect(fs.statSync(made.path).mode & 0o777).toBe(0o600);
    expect((await raw('GET', `/__files/${made.filename}`, { host: host(), cookie })).body).toBe(made.csv);
    // The browser shell has no Show in folder: it says so instead of doing nothing.
    const reveal = await raw('POST', '/__ipc/files:reveal', { host: host(), cookie, 'content-type': 'application/json' }, JSON.stringify({ name: made.filename }));
    expect(JSON.parse(reveal.body)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Only the desktop app/) } });
  });

  it('pushes change events over SSE', async () => {
    const u = new URL(shell.origin);
    const frames: string[] = [];
    const req = http.get({ host: u.hostname, port: u.port, path: '/__events', headers: { host: host(), cookie } }, (res) => {
      res.on('data', (c: Buffer) => frames.push(c.toString()));
    });
    try {
      await expect.poll(() => frames.join('').includes(': connected')).toBe(true);
      tc.core.bus.emit('changed', { topics: ['stores'] });
      await expect.poll(() => frames.join('')).toMatch(/event: changed\ndata: \{"topics":\["stores"\]\}/);
    } finally {
      req.destroy();
    }
  });
});
