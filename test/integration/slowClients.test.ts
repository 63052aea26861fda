/**
 * The webhook listener under slow clients: a client trickling its headers, or its body, one byte at
 * a time is cut off by the header and request timeouts, connections beyond the cap are closed at
 * once, and meanwhile Postscript's (the Sandbox's) normal delivery is answered.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { coresPerTest } from '../helpers/core';

const core = coresPerTest();
// Short limits so the test takes a second, not the defaults' tens of seconds; the shape is the same.
const limits = { headersTimeoutMs: 400, requestTimeoutMs: 800, checkEveryMs: 50, maxConnections: 12 };

/** A socket that sends `text` one byte every `everyMs`; resolves with how much it sent when the server closes it. */
function trickle(port: number, text: string, everyMs: number): { closed: Promise<number>; socket: net.Socket } {
  const socket = net.connect(port, '127.0.0.1');
  let sent = 0;
  socket.on('data', () => undefined);
  const timer = setInterval(() => {
    if (sent < text.length && !socket.destroyed) socket.write(text[sent++]!);
  }, everyMs);
  const closed = new Promise<number>((resolve) => {
    socket.once('close', () => {
      clearInterval(timer);
      resolve(sent);
    });
    socket.on('error', () => undefined);
  });
  return { closed, socket };
}

async function readyStore() {
  const c = await core({ more: { listenerLimits: limits } });
  const s = await c.ok('stores', 'create', { name: 'Slow Shop', shopDomain: 'slow-shop', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
  const st = await c.ok('skip', 'setup', { storeId: s.id });
  await c.ok('skip', 'setSubscription', { storeId: s.id, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });
  return { c, storeId: s.id, port: st.listener.port!, path: new URL(st.callbackUrl!).pathname };
}

describe('the listener under slow clients', () => {
  it('cuts off clients trickling headers or a body while a normal delivery is answered', { timeout: 30_000 }, async () => {
    const { c, storeId, port, path } = await readyStore();
    const headers = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Padding: ${'a'.repeat(5000)}\r\n\r\n`;
    const body = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n${'{'.repeat(5000)}`;
    const slowHeaders = Array.from({ length: 4 }, () => trickle(port, headers, 20));
    const slowBody = Array.from({ length: 4 }, () => trickle(port, body, 20));

    const r = await c.ok('skip', 'simulate', { storeId, variant: 'skip' });
    expect(r.statuses).toEqual([200]);
    expect(r.after).toBe('2030-02-14');

    // Each slow client is closed by the server long before it could finish (5,000+ bytes at 50 a second).
    const sent = await Promise.all([...slowHeaders, ...slowBody].map((t) => t.closed));
    for (const n of sent) expect(n).toBeLessThan(5000);
    expect((await c.ok('skip', 'simulate', { storeId, variant: 'skip' })).statuses).toEqual([200]);
  });

  it('closes connections beyond the cap at once, and serves again when they go', { timeout: 30_000 }, async () => {
    const { c, storeId, port } = await readyStore();
    const idle = Array.from({ length: limits.maxConnections }, () => trickle(port, 'P', 10_000));
    await Promise.all(idle.map((t) => new Promise((r) => t.socket.once('connect', r))));
    await new Promise((r) => setTimeout(r, 100)); // let the server count them
    // Without the cap it would get ~40 bytes in before the header timeout; with it, it is closed at once.
    const extra = trickle(port, `POST / HTTP/1.1\r\nX-Pad: ${'a'.repeat(200)}`, 10);
    expect(await extra.closed).toBeLessThan(20);
    // The idle ones time out; the next delivery is answered.
    await Promise.all(idle.map((t) => t.closed));
    expect((await c.ok('skip', 'simulate', { storeId, variant: 'skip' })).statuses).toEqual([200]);
  });
});
