/**
 * The team database through an HTTP proxy: an HTTP CONNECT tunnel that node-postgres uses as its
 * socket (its `stream` option). pg calls `connect(port, host)` and waits for 'connect'; this opens
 * the proxy, asks it for a tunnel to host:port, and only then says 'connect', so PostgreSQL's
 * protocol (and TLS, which pg starts on top of this stream) travels through the tunnel untouched.
 */
import net from 'node:net';
import { Duplex } from 'node:stream';

export interface TeamProxy {
  /** http://[user:password@]host:port (credentials only ever go into Proxy-Authorization). */
  url: string;
  /** http://host:port, for messages. */
  label: string;
  /** Where the proxy was set, for messages: "Settings → Network", "HTTPS_PROXY", … */
  source: string;
}

/** The proxy would not carry the connection: said in the agent's words (explainPgError passes it on). */
export class ProxyTunnelError extends Error {
  readonly code = 'EPROXYTUNNEL';
}

const MAX_HEADER_BYTES = 16 * 1024;

function refusal(proxy: TeamProxy, target: string, status: number, reason: string): string {
  const port = target.slice(target.lastIndexOf(':') + 1);
  if (status === 407) {
    return `The proxy ${proxy.label} (${proxy.source}) wants a user name and password to reach the team database at ${target}: enter them in Settings → Network.`;
  }
  return (
    `The proxy ${proxy.label} (${proxy.source}) refused to open a tunnel to the team database at ${target} (${status} ${reason}). ` +
    `Many company proxies only allow port 443: ask IT to allow port ${port} to that host, or add the host to "No proxy for" in Settings → Network if it can be reached without the proxy.`
  );
}

export class ProxyTunnel extends Duplex {
  private socket: net.Socket | null = null;
  private noDelay = false;
  private keepAlive: [boolean, number] | null = null;

  constructor(private readonly proxy: TeamProxy) {
    super();
  }

  connect(port: number, host: string): this {
    const target = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
    const p = new URL(this.proxy.url);
    const socket = net.connect(Number(p.port === '' ? 80 : p.port), p.hostname);
    this.socket = socket;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (this.readyForData) return this.destroy(err);
      const code = err.code ?? '';
      this.destroy(new ProxyTunnelError(`The proxy ${this.proxy.label} (${this.proxy.source}) cannot be reached (${code || err.message}): check the proxy address in Settings → Network. Working offline; changes wait here.`));
    });
    socket.once('connect', () => {
      if (this.noDelay) socket.setNoDelay(true);
      const auth = p.username === '' ? '' : `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(p.username)}:${decodeURIComponent(p.password)}`).toString('base64')}\r\n`;
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
    });
    let head = Buffer.alloc(0);
    const onHeader = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > MAX_HEADER_BYTES) this.destroy(new ProxyTunnelError(`The proxy ${this.proxy.label} answered something that is not HTTP.`));
        return;
      }
      socket.off('data', onHeader);
      const status = /^HTTP\/1\.[01] (\d{3}) ?([^\r\n]*)/.exec(head.subarray(0, end).toString('latin1'));
      if (status === null) return void this.destroy(new ProxyTunnelError(`The proxy ${this.proxy.label} answered something that is not HTTP.`));
      const code = Number(status[1]);
      if (code < 200 || code > 299) return void this.destroy(new ProxyTunnelError(refusal(this.proxy, target, code, status[2] ?? '')));
      this.readyForData = true;
      if (this.keepAlive !== null) socket.setKeepAlive(...this.keepAlive);
      const rest = head.subarray(end + 4);
      if (rest.length > 0) this.push(rest);
      socket.on('data', (d: Buffer) => {
        if (!this.push(d)) socket.pause();
      });
      socket.on('end', () => this.push(null));
      socket.on('close', () => this.destroy());
      this.emit('connect');
    };
    socket.on('data', onHeader);
    return this;
  }

  private readyForData = false;

  override _read(): void {
    if (this.readyForData) this.socket?.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.socket === null) return cb(new Error('The proxy tunnel is not open.'));
    this.socket.write(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.socket?.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket?.destroy();
    cb(err);
  }

  // The parts of net.Socket that pg calls.
  setNoDelay(on = true): this {
    this.noDelay = on;
    this.socket?.setNoDelay(on);
    return this;
  }

  setKeepAlive(on = false, delay = 0): this {
    this.keepAlive = [on, delay];
    if (this.readyForData) this.socket?.setKeepAlive(on, delay);
    return this;
  }

  ref(): this {
    this.socket?.ref();
    return this;
  }

  unref(): this {
    this.socket?.unref();
    return this;
  }
}
