/**
 * The local endpoint Postscript's webhooks are delivered to:
 *   POST /postscript/webhooks/<storeId>   (or /postscript/webhooks, routed by the shop id inside)
 * Loopback only unless told otherwise; JSON only; at most 1 MB; answered as soon as the delivery's
 * one transaction has committed (the follow-up event goes out later, through the outbox).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { processDelivery, reject, type ProcessResult, type WebhookDeps } from './processor';
import { SECRET_HEADER } from './storeSecret';

export const WEBHOOK_PATH = '/postscript/webhooks';
const MAX_BODY = 1024 * 1024;

/**
 * What a slow or hoarding client may take (200 sockets sending headers a byte at a time would
 * otherwise stay open as long as they like). Postscript sends a whole delivery at once, so these
 * are generous for it and short for a trickle.
 */
export interface ListenerLimits {
  /** Time to receive the request's headers. */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included. */
  requestTimeoutMs: number;
  /**
   * Open connections at once. A new one beyond it closes the oldest idle one (no request in
   * progress) to get in, so local processes holding idle sockets cannot keep Postscript's delivery
   * out; when every one is busy, the new one is closed at once.
   */
  maxConnections: number;
  /** How often Node checks those timeouts. */
  checkEveryMs: number;
}

export const DEFAULT_LISTENER_LIMITS: ListenerLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 128, checkEveryMs: 1000 };

/**
 * The connection cap, fair to a newcomer: sockets are kept oldest first with how many requests each
 * has in progress; past the cap the oldest idle one is closed (a client that connected and sent
 * nothing, or a keep-alive between requests), or the newcomer when all are busy. Node's own
 * `maxConnections` would refuse every newcomer instead, so 128 idle loopback sockets kept
 * Postscript's deliveries out for as long as they were held.
 */
function admitNewest(server: http.Server, max: number): void {
  const open = new Map<Socket, { busy: number }>(); // insertion order: oldest first
  server.on('connection', (socket: Socket) => {
    open.set(socket, { busy: 0 });
    socket.once('close', () => open.delete(socket));
    if (open.size <= max) return;
    for (const [s, state] of open) {
      if (s !== socket && state.busy === 0) {
        open.delete(s);
        s.destroy();
        return;
      }
    }
    open.delete(socket);
    socket.destroy();
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const state = open.get(req.socket);
    if (state === undefined) return;
    state.busy += 1;
    res.once('close', () => (state.busy -= 1));
  });
}

export interface ListenerStatus {
  running: boolean;
  host: string;
  port: number | null;
  /** Base URL; a store's callback URL is this plus /<storeId>. */
  url: string | null;
  note: string | null;
}

export class WebhookListener {
  private server: http.Server | null = null;
  private note: string | null = null;

  /** Told about requests that failed in an unexpected way (the fault log). */
  onFault: ((where: string, err: unknown) => void) | null = null;

  private readonly limits: ListenerLimits;

  constructor(
    private readonly ctx: WebhookDeps,
    private bindHost = '127.0.0.1',
    limits: Partial<ListenerLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LISTENER_LIMITS, ...limits };
  }

  get host(): string {
    return this.bindHost;
  }

  status(): ListenerStatus {
    const addr = this.server?.address();
    const port = addr !== null && addr !== undefined && typeof addr !== 'string' ? (addr as AddressInfo).port : null;
    const shownHost = this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
    return { running: port !== null, host: this.host, port, url: port === null ? null : `http://${shownHost}:${port}${WEBHOOK_PATH}`, note: this.note };
  }

  callbackUrl(storeId: string): string | null {
    const url = this.status().url;
    return url === null ? null : `${url}/${encodeURIComponent(storeId)}`;
  }

  /** Listens on the port asked for; when it is taken, on a free one, and says so. */
  async start(port: number): Promise<void> {
    try {
      await this.listen(port);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
      await this.listen(0);
      this.note = `Port ${port} was in use, so the listener took port ${this.status().port}. Point tunnels at that one.`;
    }
  }

  /**
   * Moves the listener (Settings). The new address is taken before the old one is let go, so a
   * port in use or a host this machine does not have is refused and the listener keeps running.
   */
  async rebind(host: string, port: number): Promise<void> {
    const old = this.server;
    const oldHost = this.bindHost;
    this.bindHost = host;
    try {
      await this.listen(port);
    } catch (err) {
      this.bindHost = oldHost;
      this.server = old;
      throw err;
    }
    this.note = null;
    if (old !== null) {
      old.closeAllConnections();
      old.close();
    }
  }

  private listen(port: number): Promise<void> {
    const { headersTimeoutMs, requestTimeoutMs, maxConnections, checkEveryMs } = this.limits;
    const server = http.createServer(
      { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: checkEveryMs },
      (req, res) => this.guarded(req, res),
    );
    admitNewest(server, maxConnections);
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      else socket.destroy();
    });
    server.keepAliveTimeout = 30_000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.bindHost, () => {
        server.off('error', reject);
        this.server = server;
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private answer(res: http.ServerResponse, r: ProcessResult): void {
    const text = JSON.stringify({ ok: r.status === 200, action: r.action, reason: r.reason });
    res.writeHead(r.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** Every request goes through here: whatever a request carries, it gets an answer, never a crash. */
  private guarded(req: http.IncomingMessage, res: http.ServerResponse): void {
    try {
      this.handle(req, res);
    } catch (err) {
      this.onFault?.('webhook listener', err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"ok":false,"reason":"The listener could not handle this request."}');
      else res.destroy();
    }
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let url: URL;
    let pathStoreId: string | null;
    try {
      url = new URL(req.url ?? '/', 'http://listener.local');
      const rest = url.pathname.startsWith(`${WEBHOOK_PATH}/`) ? url.pathname.slice(WEBHOOK_PATH.length + 1) : '';
      pathStoreId = rest === '' ? null : decodeURIComponent(rest);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"ok":false,"reason":"The path is not valid URL encoding."}');
      return;
    }
    if (url.pathname !== WEBHOOK_PATH && !url.pathname.startsWith(`${WEBHOOK_PATH}/`)) {
      res.writeHead(404).end();
      return;
    }
    // Only refusals need to know whether the store exists (to log against it).
    const known = (): string | null => (pathStoreId !== null && this.ctx.webhooks.routeById(pathStoreId) !== undefined ? pathStoreId : null);
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      this.answer(res, reject(this.ctx, known(), 415, `Content-Type must be application/json, not “${type || 'none'}”.`));
      return;
    }
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY) {
      this.answer(res, reject(this.ctx, known(), 413, `The body is ${declared} bytes; at most 1 MB is accepted.`));
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        if (!tooBig) {
          tooBig = true;
          this.answer(res, reject(this.ctx, known(), 413, 'The body is over 1 MB.'));
          req.destroy();
        }
        return;
      }
      chunks.push(c);
    });
    // A client that hangs up mid-body emits 'error' on the request: nothing to answer, nothing to crash.
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (tooBig) return;
      try {
        this.finish(req, res, pathStoreId, known, chunks);
      } catch (err) {
        this.onFault?.('webhook listener', err);
        if (!res.headersSent) res.writeHead(500).end();
      }
    });
  }

  private finish(req: http.IncomingMessage, res: http.ServerResponse, pathStoreId: string | null, known: () => string | null, chunks: Buffer[]): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      this.answer(res, reject(this.ctx, known(), 400, 'The body is not valid JSON.'));
      return;
    }
    const signature = req.headers['postscript-signature'];
    let result: ProcessResult;
    try {
      const secret = req.headers[SECRET_HEADER];
      result = processDelivery(this.ctx, pathStoreId, typeof signature === 'string' ? signature : undefined, parsed, typeof secret === 'string' ? secret : undefined);
    } catch (err) {
      // Nothing was committed: Postscript retries, and the retry is handled as the first try.
      // A full disk or a damaged database is also said to the agent (once), with the data directory.
      const storage = this.ctx.storage?.report(err, 'a webhook delivery');
      result = reject(this.ctx, known(), 500, `Could not save this delivery (${storage ?? (err instanceof Error ? err.message : String(err))}); Postscript will retry.`);
    }
    this.answer(res, result);
  }
}
