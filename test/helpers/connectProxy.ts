/**
 * A tiny HTTP CONNECT proxy (node:http 'connect'), as corporate proxies work for HTTPS: it opens
 * a TCP tunnel to the host asked for. It can ask for credentials (407) or refuse every tunnel.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TestProxy {
  url: string;
  /** Tunnels opened (CONNECT answered 200). */
  tunnels: number;
  /** Proxy-Authorization headers received, decoded. */
  credentialsSeen: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(
  options: { auth?: { user: string; password: string }; refuse?: boolean; /** Tunnels only to these ports, as many company proxies allow only 443. */ onlyPorts?: number[] } = {},
): Promise<TestProxy> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405).end();
  });
  const proxy: TestProxy = { url: '', tunnels: 0, credentialsSeen: [], close: async () => undefined };
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: net.Socket, head: Buffer) => {
    client.on('error', () => undefined);
    const header = req.headers['proxy-authorization'];
    if (typeof header === 'string') proxy.credentialsSeen.push(Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8'));
    if (options.auth !== undefined) {
      const expected = `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}`;
      if (header !== expected) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\ncontent-length: 0\r\n\r\n');
        return;
      }
    }
    if (options.refuse === true) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    if (options.onlyPorts !== undefined && !options.onlyPorts.includes(Number(port))) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(port), host, () => {
      proxy.tunnels += 1;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return proxy;
}

/** A port that was free a moment ago and has nothing listening: a dead proxy or a down endpoint. */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * A port held for a Postscript that is "down": it takes each connection and drops it at once, so
 * nothing ever answers, and no other test (or program) can take the port meanwhile. `release()`
 * frees it for the Sandbox that plays Postscript coming back.
 */
export async function holdDownPort(): Promise<{ port: number; release(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const s = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.destroy();
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  let released = false;
  return {
    port,
    async release() {
      if (released) return;
      released = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => s.close(() => r()));
    },
  };
}
