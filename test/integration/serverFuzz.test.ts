/**
 * Nothing a request carries ends the app: the webhook listener and the browser shell each take a
 * corpus of malformed requests plus a seeded random mix (paths, methods, headers, bodies, raw bytes
 * that are not HTTP), and still answer a normal request afterwards. An exception that escaped would
 * fail this run (vitest reports uncaught errors), as it ended the app before.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFaultHandler } from '../../src-main/app/lastResort';
import type { EventBus } from '../../src-main/ipc/events';
import { FaultLog, maskSecretsInText } from '../../src-main/logs/faultLog';
import { startBrowserShell, type BrowserShell } from '../../src-main/shells/browser/server';
import { startCore, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';

let tc: TestCore;
let shell: BrowserShell;
let cookie: string;
const assets = makeTempDir('psc-fuzz-');

beforeAll(async () => {
  fs.mkdirSync(path.join(assets.dir, 'renderer'), { recursive: true });
  fs.writeFileSync(path.join(assets.dir, 'renderer', 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  fs.writeFileSync(path.join(assets.dir, 'bridge.js'), '/* bridge */');
  tc = await startCore();
  shell = await startBrowserShell({ core: tc.core, rendererDir: path.join(assets.dir, 'renderer'), bridgeFile: path.join(assets.dir, 'bridge.js'), token: 'fuzz-token-0123456789' });
  const res = await fetch(shell.launchUrl, { redirect: 'manual' });
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await shell.close();
  await tc.close();
  assets.cleanup();
});

/** Sends raw bytes and returns the status line (or '' when the server closed without one). */
function rawRequest(port: number, bytes: Buffer | string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = (): void => {
      socket.destroy();
      resolve(text.split('\r\n')[0] ?? '');
    };
    socket.setTimeout(timeoutMs, done);
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (text.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.end(bytes);
  });
}

const listenerPort = (): number => tc.core.ctx.listener.status().port!;
const shellPort = (): number => Number(new URL(shell.origin).port);

/** A small deterministic PRNG (mulberry32): the same seed replays the same requests. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATH_PIECES = ['%ZZ', '%E0%A4%A', '%', '%00', '%C0%AF', '..', '%2e%2e', '//', '\\', 'é', '%F0%9F%98', '?a=%ZZ', '#x', ';', '*', 'x'.repeat(3000), '%25', 'stores:list', 'no:such'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'BREW', 'G\u0000T'];
const TYPES = ['application/json', 'text/plain', 'application/json; charset=utf-8', '', 'application/json\u0001', 'multipart/form-data; boundary=x'];
const BODIES = ['', '{', '{}', 'null', '[]', '"x"', '{"type":"shop.incoming_message","event_data":{"id":null}}', '{"a":'.repeat(500), '\u0000\u0001\u0002', 'x'.repeat(5000)];

function randomRequest(rand: () => number, base: string, extraHeaders: string): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const path = base + Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(PATH_PIECES)).join('');
  const body = pick(BODIES);
  const declared = rand() < 0.2 ? String(Math.floor(rand() * 1e9)) : rand() < 0.1 ? '-1' : String(Buffer.byteLength(body));
  const headers = [`Content-Type: ${pick(TYPES)}`, `Content-Length: ${declared}`, rand() < 0.3 ? `Postscript-Signature: ${pick(BODIES)}` : 'X-A: b', extraHeaders];
  return `${pick(METHODS)} ${path} HTTP/1.1\r\n${headers.filter((h) => h !== '').join('\r\n')}\r\n\r\n${body}`;
}

describe('malformed requests', () => {
  it('the listener answers 400 to a path that is not URL encoding, and keeps answering', async () => {
    const res = await fetch(`http://127.0.0.1:${listenerPort()}/postscript/webhooks/%ZZ`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/not valid URL encoding/);
    const again = await fetch(`http://127.0.0.1:${listenerPort()}/postscript/webhooks/%ZZ`);
    expect(again.status).toBe(400);
    const normal = await fetch(`http://127.0.0.1:${listenerPort()}/postscript/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(normal.status).toBeGreaterThanOrEqual(400); // an unsigned, unroutable delivery is refused, but answered
    expect(normal.status).toBeLessThan(500);
  });

  it('the browser shell answers 400 to a channel that is not URL encoding, and keeps answering', async () => {
    const host = new URL(shell.origin).host;
    const res = await fetch(`${shell.origin}/__ipc/%E0%A4%A`, { method: 'POST', headers: { cookie, host, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    const list = await fetch(`${shell.origin}/__ipc/stores:list`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(((await list.json()) as { ok: boolean }).ok).toBe(true);
  });

  it('bytes that are not HTTP get a 400 or a closed socket, never a dead server', async () => {
    for (const junk of ['\u0000\u0001\u0002\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /%ZZ HTTP/1.1\r\nHost: \u0000\r\n\r\n', 'POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n', 'GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']) {
      for (const port of [listenerPort(), shellPort()]) {
        const status = await rawRequest(port, junk);
        expect(status === '' || /^HTTP\/1\.1 [45]\d\d/.test(status)).toBe(true);
      }
    }
    const ok = await fetch(`${shell.origin}/__ipc/stores:list`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(ok.status).toBe(200);
  });

  it('a seeded random mix of 400 requests to each server leaves both answering', async () => {
    const rand = prng(20261125);
    const shellHost = `Host: ${new URL(shell.origin).host}\r\nCookie: ${cookie}`;
    for (let i = 0; i < 400; i++) {
      await rawRequest(listenerPort(), randomRequest(rand, '/postscript/webhooks/', 'Host: 127.0.0.1'), 500);
      await rawRequest(shellPort(), randomRequest(rand, rand() < 0.7 ? '/__ipc/' : '/', shellHost), 500);
    }
    const list = await fetch(`${shell.origin}/__ipc/stores:list`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(((await list.json()) as { ok: boolean }).ok).toBe(true);
    const hook = await fetch(`http://127.0.0.1:${listenerPort()}/postscript/webhooks/x`, { method: 'GET' });
    expect(hook.status).toBe(405);
  }, 120_000);
});

describe('the last-resort handler', () => {
  it('records the error with secrets masked, tells the agent, and keeps running', () => {
    const dir = makeTempDir();
    try {
      const log = new FaultLog(dir.dir);
      const alerts: string[] = [];
      let stopped = false;
      const bus = { emit: (_e: string, p: { message: string }) => alerts.push(p.message) } as unknown as EventBus;
      const said: string[] = [];
      const handle = makeFaultHandler(log, () => bus, () => (stopped = true), (line) => said.push(line))('uncaughtException');
      handle(new Error('boom with sk_live_abcdefgh12345678 and Bearer sk_zzzzzzzzzzzz9999'));
      const text = fs.readFileSync(log.file, 'utf8');
      expect(text).toContain('boom with sk_…5678');
      expect(text).not.toContain('abcdefgh12345678');
      expect(text).not.toContain('zzzzzzzzzzzz9999');
      expect(fs.statSync(log.file).mode & 0o777).toBe(0o600);
      expect(alerts[0]).toMatch(/still running; details are in .*main\.log/);
      expect(stopped).toBe(false);
      expect(said[0]).toMatch(/unexpected error \(uncaughtException\): boom with sk_…5678/);
      for (let i = 0; i < 60; i++) handle(new Error(`again ${i}`));
      expect(stopped).toBe(true); // a storm ends the process cleanly instead of spinning
    } finally {
      dir.cleanup();
    }
  });

  it('masks passwords in URLs', () => {
    expect(maskSecretsInText('postgres://agent:hunter2@db:5432/x')).toBe('postgres://agent:••••@db:5432/x');
  });
});
