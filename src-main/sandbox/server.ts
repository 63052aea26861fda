/**
 * The Postscript Sandbox: a local HTTP server that answers Postscript's v2 API as
 * shared/postscript-api/ describes it (paths, Bearer auth with sk_ keys, partner key plus
 * X-Postscript-Shop-Token, 15 requests/second per token with 429 + error_code 3002, the flat error
 * envelope, webhook subscriptions and signed deliveries), records what it receives, and injects
 * faults on request. Nothing it does leaves this machine.
 *
 * This file is the server and its lifecycle; each Postscript resource answers in its own module
 * under routes/ (listed in routes/api.ts), the control API in routes/control.ts.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { SandboxFaults } from '../../src-shared/ipc/contract';
import { SlidingWindowLimiter } from '../ratelimit/slidingWindow';
import { authenticate } from './auth';
import { applyFaults, NO_FAULTS, type SandboxStats } from './faults';
import { HttpError, SANDBOX_ERRORS, sendError } from './http';
import { apiRoutes } from './routes/api';
import { controlRoutes } from './routes/control';
import { findRoute, type SandboxHost } from './routes/route';
import { SandboxState, type SandboxShop, type SandboxWebhook } from './state';
import { deliverIncomingMessage, deliverSigned, envelope, type IncomingDelivery, type IncomingMessage } from './webhookDelivery';
import { LinkFlapper, networkLegs } from './networkFaults';

export { SANDBOX_ERRORS } from './http';
export { NO_FAULTS } from './faults';

export interface SandboxOptions {
  /** The SQLite file that keeps the state across restarts (sandbox/stateFile.ts); null keeps it in memory only. */
  stateFile?: string | null;
  /** An older JSON state file to import once into `stateFile`. */
  legacyStateJson?: string;
  /** better-sqlite3 binding built for this runtime's ABI (Electron). */
  nativeBinding?: string;
  rateLimit?: number;
  /** Serve HTTPS with this certificate (tests of TLS and proxies; a standalone "live" endpoint). */
  tls?: { key: string; cert: string };
}

export class Sandbox implements SandboxHost {
  readonly state: SandboxState;
  faults: SandboxFaults = { ...NO_FAULTS };
  private readonly limiter: SlidingWindowLimiter;
  private server: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly tls: { key: string; cert: string } | null;
  private boundAt: { port: number; host: string } | null = null;
  /** Takes the link down and up (the flap fault, networkFaults.ts). */
  readonly link = new LinkFlapper(() => this.server, this.sockets, () => this.boundAt);
  /** Counts what the Sandbox answered, for tests and benchmarks. */
  readonly stats: SandboxStats = { requests: 0, rateLimited: 0, injected429: 0, injected5xx: 0, dropped: 0 };
  /** When each API request arrived (after its request leg), when set to an array: tests and benchmarks of pacing. */
  arrivals: number[] | null = null;

  constructor(options: SandboxOptions = {}) {
    this.state = new SandboxState(options.stateFile ?? null, {
      ...(options.legacyStateJson === undefined ? {} : { legacyJson: options.legacyStateJson }),
      ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
    });
    this.limiter = new SlidingWindowLimiter(options.rateLimit ?? 15);
    this.tls = options.tls ?? null;
  }

  get url(): string | null {
    if (this.boundAt === null || this.server === null) return null;
    return `${this.tls === null ? 'http' : 'https'}://127.0.0.1:${this.boundAt.port}`;
  }

  listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      void this.handle(req, res);
    };
    const server: http.Server = this.tls === null ? http.createServer(handler) : https.createServer({ ...this.tls }, handler);
    server.keepAliveTimeout = 30_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        this.boundAt = { port: (server.address() as AddressInfo).port, host };
        resolve(this.url!);
      });
    });
  }

  async close(): Promise<void> {
    this.link.stop();
    const server = this.server;
    this.server = null;
    if (server !== null) {
      for (const s of this.sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.state.close();
  }

  setFaults(faults: Partial<SandboxFaults>): SandboxFaults {
    this.faults = { ...this.faults, ...faults };
    if (faults.flapUpMs !== undefined || faults.flapDownMs !== undefined) this.link.configure(this.faults.flapUpMs, this.faults.flapDownMs);
    return this.faults;
  }

  resetRateLimits(): void {
    this.limiter.reset();
  }

  envelope(shop: SandboxShop, event: string, hook: SandboxWebhook | null, eventData?: Record<string, unknown>): Record<string, unknown> {
    return envelope(shop, event, hook, eventData);
  }

  /** See `deliverIncomingMessage` in webhookDelivery.ts; retries stop when the Sandbox closes. */
  deliverIncomingMessage(shopId: string, message: IncomingMessage): Promise<IncomingDelivery> {
    return deliverIncomingMessage(this.state, () => this.server !== null, shopId, message);
  }

  /** One signed delivery attempt; returns the HTTP status, or null when the endpoint was unreachable. */
  deliverWebhook(shop: SandboxShop, hook: SandboxWebhook, payload: Record<string, unknown>): Promise<number | null> {
    return deliverSigned(hook, shop.signingToken, payload);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    try {
      if (url.pathname.startsWith('/_sandbox/')) {
        const found = findRoute(controlRoutes, method, path);
        if (found === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, `No such Sandbox control endpoint: ${method} ${path}`);
        await found.route.handle({ req, res, url, method, path, params: found.params, sandbox: this });
        return;
      }
      if (!url.pathname.startsWith('/api/v2/')) {
        throw new HttpError(404, SANDBOX_ERRORS.notFound, `No such endpoint: ${req.method} ${url.pathname}`);
      }
      if (await networkLegs(this.faults, this.stats, req, res)) return;
      this.stats.requests += 1;
      this.arrivals?.push(Date.now());
      if (await applyFaults(this.faults, this.stats, req, res)) return;
      const shop = authenticate(this.state, this.limiter, this.stats, req);
      const found = findRoute(apiRoutes, method, path);
      if (found === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, `No such endpoint: ${method} ${path}`);
      await found.route.handle({ req, res, url, method, path, params: found.params, sandbox: this, shop });
    } catch (err) {
      if (res.headersSent || res.destroyed) return;
      if (err instanceof HttpError) sendError(res, err.status, err.errorCode, err.message);
      else sendError(res, 500, SANDBOX_ERRORS.internal, 'Internal Sandbox error.');
    }
  }
}
