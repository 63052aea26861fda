/**
 * The webhook listener under slow clients: a client trickling its headers, or its body, one byte at
 * a time is cut off by the header and request timeouts, past the connection cap the oldest idle
 * connection is closed to let a new one in (so idle sockets held by a local process cannot keep a
 * delivery out), and meanwhile Postscript's (the Sandbox's) normal delivery is answered.
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

  it('at the cap, closes the oldest idle connection to let a new one in', { timeout: 30_000 }, async () => {
    const { c, storeId, port } = await readyStore();
    const idle = Array.from({ length: limits.maxConnections }, () => trickle(port, '', 10_000));
    await Promise.all(idle.map((t) => new Promise((r) => t.socket.once('connect', r))));
    await new Promise((r) => setTimeout(r, 100)); // let the server count them
    // A newcomer gets in: the oldest idle socket is closed for it, the others stay open.
    const extra = trickle(port, '', 10_000);
    await idle[0]!.closed;
    expect(extra.socket.destroyed).toBe(false);
    expect(idle.slice(1).every((t) => !t.socket.destroyed)).toBe(true);
    // A delivery gets in the same way, and is answered.
    expect((await c.ok('skip', 'simulate', { storeId, variant: 'skip' })).statuses).toEqual([200]);
    for (const t of [...idle, extra]) t.socket.destroy();
  });
});

describe('a local process holding idle sockets (the default cap, 128)', () => {
  it('cannot starve the listener: a delivery is answered while 150 idle sockets are held, and again when they are held anew', { timeout: 60_000 }, async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { name: 'Held Shop', shopDomain: 'held-shop', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const st = await c.ok('skip', 'setup', { storeId: s.id });
    await c.ok('skip', 'setSubscription', { storeId: s.id, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });
    const port = st.listener.port!;
    const hold = async (): Promise<Array<ReturnType<typeof trickle>>> => {
      const held = Array.from({ length: 150 }, () => trickle(port, '', 60_000));
      await Promise.all(held.map((t) => new Promise((r) => t.socket.once('connect', r))));
      await new Promise((r) => setTimeout(r, 100));
      return held;
    };
    const first = await hold();
    expect((await c.ok('skip', 'simulate', { storeId: s.id, variant: 'skip' })).statuses).toEqual([200]);
    // Never more than the cap open: the oldest were closed to let the newer ones in.
    expect(first.filter((t) => !t.socket.destroyed).length).toBeLessThanOrEqual(128);
    const second = await hold();
    expect((await c.ok('skip', 'simulate', { storeId: s.id, variant: 'skip' })).statuses).toEqual([200]);
    for (const t of [...first, ...second]) t.socket.destroy();
  });
});
