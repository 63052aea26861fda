/**
 * The Postscript Sandbox: a local HTTP server that answers Postscript's v2 API as
 * shared/postscript-api/ describes it (paths, Bearer auth with sk_ keys, partner key plus
 * X-Postscript-Shop-Token, 15 requests/second per token with 429 + error_code 3002, the flat error
 * envelope, webhook subscriptions and signed deliveries), records what it receives, and injects
 * faults on request. Nothing it does leaves this machine.
 *
 * Error codes: Postscript publishes only 3001 (not found) and 3002 (rate limit). The others below
 * are the Sandbox's own, in the same envelope, so clients can be tested on the shape.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import crypto from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { OCCURRED_AT_PATTERN } from '../../src-shared/time';
import { POSTSCRIPT_TYPE_PATTERN } from '../../src-shared/events/catalog';
import type { SandboxFaults } from '../../src-shared/ipc/contract';
import { SlidingWindowLimiter } from '../ratelimit/slidingWindow';
import { SandboxState, type SandboxShop, type SandboxSubscriber, type SandboxWebhook } from './state';

export const SANDBOX_ERRORS = {
  unauthorized: 1001,
  publicKey: 1002,
  forbidden: 1003,
  validation: 2001,
  notFound: 3001,
  rateLimited: 3002,
  internal: 5000,
} as const;

const WEBHOOK_EVENTS = ['shop.test', 'shop.incoming_message', 'shop.subscriber.opt_in', 'shop.subscriber.opt_out', 'shop.email_collected', 'shop.shop.email_collected'];
const MAX_BODY = 1024 * 1024;
const PAGE_SIZE = 25;

export interface SandboxOptions {
  /** Where to keep state across restarts; null keeps it in memory only. */
  stateFile?: string | null;
  rateLimit?: number;
}

export const NO_FAULTS: SandboxFaults = { rate429: 0, rate5xx: 0, dropRate: 0, delayMs: 0, remaining: null };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, errorCode: number, message: string): void {
  sendJson(res, status, { error_code: errorCode, error_message: message, success: false });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, SANDBOX_ERRORS.validation, 'Request body is larger than 1 MB.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, SANDBOX_ERRORS.validation, 'Request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, SANDBOX_ERRORS.validation, 'Request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function serializeSubscriber(s: SandboxSubscriber): Record<string, unknown> {
  return {
    id: s.id,
    created_at: s.created_at,
    updated_at: s.updated_at,
    data: {},
    email: s.email,
    phone_number: s.phone_number,
    properties: {},
    shopify_customer_id: null,
    subscriptions: { promotional: { can_send: s.promotional }, transactional: { can_send: s.transactional } },
    tags: [],
  };
}

/** Postscript accepts phones in E.164 "or other formats": compare on the parsed number. */
function samePhone(stored: string, given: string): boolean {
  const parsed = parsePhoneNumberFromString(given, 'US');
  return parsed !== undefined && parsed.number === stored;
}

export class Sandbox {
  readonly state: SandboxState;
  faults: SandboxFaults = { ...NO_FAULTS };
  private readonly limiter: SlidingWindowLimiter;
  private server: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Counts what the Sandbox answered, for tests and benchmarks. */
  readonly stats = { requests: 0, rateLimited: 0, injected429: 0, injected5xx: 0, dropped: 0 };

  constructor(options: SandboxOptions = {}) {
    this.state = new SandboxState(options.stateFile ?? null);
    this.limiter = new SlidingWindowLimiter(options.rateLimit ?? 15);
  }

  get url(): string | null {
    const addr = this.server?.address();
    if (addr === null || addr === undefined || typeof addr === 'string') return null;
    return `http://127.0.0.1:${(addr as AddressInfo).port}`;
  }

  listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
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
        resolve(this.url!);
      });
    });
  }

  async close(): Promise<void> {
    this.state.flush();
    const server = this.server;
    this.server = null;
    if (server === null) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  setFaults(faults: Partial<SandboxFaults>): SandboxFaults {
    this.faults = { ...this.faults, ...faults };
    return this.faults;
  }

  resetRateLimits(): void {
    this.limiter.reset();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    try {
      if (url.pathname.startsWith('/_sandbox/')) {
        await this.handleControl(req, res, url);
        return;
      }
      if (!url.pathname.startsWith('/api/v2/')) {
        throw new HttpError(404, SANDBOX_ERRORS.notFound, `No such endpoint: ${req.method} ${url.pathname}`);
      }
      this.stats.requests += 1;
      if (await this.applyFaults(req, res)) return;
      const shop = this.authenticate(req);
      await this.route(req, res, url, shop);
    } catch (err) {
      if (res.headersSent || res.destroyed) return;
      if (err instanceof HttpError) sendError(res, err.status, err.errorCode, err.message);
      else sendError(res, 500, SANDBOX_ERRORS.internal, 'Internal Sandbox error.');
    }
  }

  /** Returns true when a fault answered (or dropped) the request. */
  private async applyFaults(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const f = this.faults;
    if (f.remaining !== null && f.remaining <= 0) return false;
    const active = f.rate429 > 0 || f.rate5xx > 0 || f.dropRate > 0 || f.delayMs > 0;
    if (!active) return false;
    if (f.remaining !== null) f.remaining -= 1;
    if (f.delayMs > 0) await new Promise((r) => setTimeout(r, f.delayMs));
    const roll = Math.random();
    if (roll < f.dropRate) {
      this.stats.dropped += 1;
      // Read the request first so the client knows it was sent, then vanish without an answer.
      req.resume();
      req.socket.destroy();
      return true;
    }
    if (roll < f.dropRate + f.rate5xx) {
      this.stats.injected5xx += 1;
      req.resume();
      const status = [500, 502, 503][Math.floor(Math.random() * 3)]!;
      sendError(res, status, SANDBOX_ERRORS.internal, 'Sandbox fault: injected server error.');
      return true;
    }
    if (roll < f.dropRate + f.rate5xx + f.rate429) {
      this.stats.injected429 += 1;
      req.resume();
      sendError(res, 429, SANDBOX_ERRORS.rateLimited, 'Rate limit exceeded');
      return true;
    }
    return false;
  }

  private authenticate(req: http.IncomingMessage): SandboxShop {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined) {
      throw new HttpError(401, SANDBOX_ERRORS.unauthorized, 'Missing API key: send "Authorization: Bearer <private key>".');
    }
    const key = match[1];
    const shopToken = req.headers['x-postscript-shop-token'];
    const tokenId = typeof shopToken === 'string' ? `${key}|${shopToken}` : key;
    if (!this.limiter.tryAcquire(tokenId)) {
      this.stats.rateLimited += 1;
      throw new HttpError(429, SANDBOX_ERRORS.rateLimited, 'Rate limit exceeded');
    }
    if (key.startsWith('pk_')) {
      throw new HttpError(401, SANDBOX_ERRORS.publicKey, 'Public keys cannot authorize API requests. Use a private API key (sk_).');
    }
    if (this.state.isPartnerKey(key)) {
      if (typeof shopToken !== 'string') {
        throw new HttpError(400, SANDBOX_ERRORS.validation, 'Partner requests need the X-Postscript-Shop-Token header.');
      }
      const shop = this.state.shopByPrivateKey(shopToken);
      if (shop === undefined) throw new HttpError(401, SANDBOX_ERRORS.unauthorized, 'Invalid shop token.');
      return shop;
    }
    const shop = this.state.shopByPrivateKey(key);
    if (shop === undefined) throw new HttpError(401, SANDBOX_ERRORS.unauthorized, 'Invalid API key.');
    return shop;
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse, url: URL, shop: SandboxShop): Promise<void> {
    const method = req.method ?? 'GET';
    const p = url.pathname.replace(/\/+$/, '');
    let m: RegExpExecArray | null;

    if (method === 'GET' && p === '/api/v2/me') {
      return sendJson(res, 200, { resource_id: shop.id, resource_name: shop.name, resource_type: 'shop' });
    }
    if (method === 'GET' && p === '/api/v2/keywords') {
      return sendJson(res, 200, { keywords: shop.keywords });
    }
    if (method === 'GET' && (m = /^\/api\/v2\/keywords\/([^/]+)$/.exec(p)) !== null) {
      const kw = shop.keywords.find((k) => k.id === decodeURIComponent(m![1]!));
      if (kw === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, 'Could not find keyword matching that information');
      return sendJson(res, 200, kw);
    }
    if (method === 'GET' && p === '/api/v2/subscribers') {
      return this.listSubscribers(res, url, shop);
    }
    if (method === 'GET' && (m = /^\/api\/v2\/subscribers\/([^/]+)$/.exec(p)) !== null) {
      const sub = shop.subscribers.find((s) => s.id === decodeURIComponent(m![1]!));
      if (sub === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, 'Could not find subscriber matching that information');
      return sendJson(res, 200, serializeSubscriber(sub));
    }
    if (method === 'POST' && p === '/api/v2/events') {
      return this.createEvent(req, res, shop);
    }
    if (method === 'GET' && p === '/api/v2/webhooks/token') {
      return sendJson(res, 200, { token: shop.signingToken });
    }
    if (method === 'GET' && p === '/api/v2/webhooks/example') {
      const event = url.searchParams.get('event') ?? 'shop.test';
      if (!WEBHOOK_EVENTS.includes(event)) throw new HttpError(400, SANDBOX_ERRORS.validation, `Unknown event "${event}".`);
      return sendJson(res, 200, this.envelope(shop, event, null));
    }
    if (method === 'POST' && p === '/api/v2/webhooks/test') {
      const body = await readJson(req);
      const event = typeof body.event === 'string' ? body.event : 'shop.test';
      if (!WEBHOOK_EVENTS.includes(event)) throw new HttpError(400, SANDBOX_ERRORS.validation, `Unknown event "${event}".`);
      for (const hook of shop.webhooks.filter((w) => w.event === event)) {
        void this.deliverWebhook(shop, hook, this.envelope(shop, event, hook));
      }
      return sendJson(res, 202, { message: 'OK' });
    }
    if (p === '/api/v2/webhooks') {
      if (method === 'GET') return sendJson(res, 200, { webhook_subscriptions: shop.webhooks });
      if (method === 'POST') return this.createWebhook(req, res, shop);
    }
    if ((m = /^\/api\/v2\/webhooks\/([^/]+)$/.exec(p)) !== null) {
      const hookId = decodeURIComponent(m[1]!);
      const hook = shop.webhooks.find((w) => w.id === hookId);
      if (hook === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, 'Could not find webhook subscription matching that information');
      if (method === 'GET') return sendJson(res, 200, hook);
      if (method === 'DELETE') {
        shop.webhooks = shop.webhooks.filter((w) => w.id !== hookId);
        this.state.changed();
        return sendJson(res, 200, {});
      }
      if (method === 'PATCH') {
        const body = await readJson(req);
        if (body.callback_url !== undefined) hook.callback_url = this.checkCallbackUrl(body.callback_url);
        if (body.headers !== undefined) hook.headers = this.checkHeaders(body.headers);
        hook.updated_at = new Date().toISOString();
        this.state.changed();
        return sendJson(res, 200, hook);
      }
    }
    throw new HttpError(404, SANDBOX_ERRORS.notFound, `No such endpoint: ${method} ${p}`);
  }

  private listSubscribers(res: http.ServerResponse, url: URL, shop: SandboxShop): void {
    let subs = shop.subscribers;
    const phone = url.searchParams.get('phone_number__eq');
    if (phone !== null) subs = subs.filter((s) => samePhone(s.phone_number, phone));
    const email = url.searchParams.get('email__eq');
    if (email !== null) subs = subs.filter((s) => s.email === email);
    const pageParam = url.searchParams.get('page') ?? '1';
    const page = Number.parseInt(pageParam, 10);
    if (!Number.isInteger(page) || page < 1) throw new HttpError(400, SANDBOX_ERRORS.validation, 'page must be a positive integer.');
    const totalPages = Math.max(1, Math.ceil(subs.length / PAGE_SIZE));
    const slice = subs.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    sendJson(res, 200, { page_info: { page, total_pages: totalPages }, subscribers: slice.map(serializeSubscriber) });
  }

  private async createEvent(req: http.IncomingMessage, res: http.ServerResponse, shop: SandboxShop): Promise<void> {
    const body = await readJson(req);
    const bad = (msg: string): never => {
      throw new HttpError(400, SANDBOX_ERRORS.validation, msg);
    };
    if (typeof body.type !== 'string' || body.type.length === 0) bad('type is required.');
    const type = body.type as string;
    if (!POSTSCRIPT_TYPE_PATTERN.test(type)) bad('type may only contain letters (a-z, A-Z), digits (0-9) and underscores (_).');
    const ids = (['subscriber_id', 'phone', 'email'] as const).filter((k) => body[k] !== undefined && body[k] !== null);
    if (ids.length !== 1) bad('Send exactly one of subscriber_id, phone or email.');
    const which = ids[0]!;
    const value = body[which];
    if (typeof value !== 'string' || value.length === 0) bad(`${which} must be a non-empty string.`);
    if (body.occurred_at !== undefined && (typeof body.occurred_at !== 'string' || !OCCURRED_AT_PATTERN.test(body.occurred_at))) {
      bad('occurred_at must be UTC in the format %Y-%m-%d %H:%M:%S.%f.');
    }
    if (body.properties !== undefined && (typeof body.properties !== 'object' || body.properties === null || Array.isArray(body.properties))) {
      bad('properties must be an object of key/value pairs.');
    }
    if (body.external_id !== undefined && typeof body.external_id !== 'string') bad('external_id must be a string.');
    const v = value as string;
    const sub =
      which === 'subscriber_id'
        ? shop.subscribers.find((s) => s.id === v)
        : which === 'phone'
          ? shop.subscribers.find((s) => samePhone(s.phone_number, v))
          : shop.subscribers.find((s) => s.email === v);
    if (sub === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, 'Could not find subscriber matching that information');
    // Postscript does not deduplicate external_id: every accepted event counts.
    const ev = this.state.recordEvent(shop.id, type, body);
    sendJson(res, 202, { event_ids: [ev.eventId] });
  }

  private checkCallbackUrl(value: unknown): string {
    if (typeof value !== 'string') throw new HttpError(400, SANDBOX_ERRORS.validation, 'callback_url is required.');
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      throw new HttpError(400, SANDBOX_ERRORS.validation, 'callback_url must be a URL.');
    }
    // Postscript requires HTTPS. The Sandbox also allows plain http to loopback so that the app's
    // local listener can receive deliveries without a tunnel.
    const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
      throw new HttpError(400, SANDBOX_ERRORS.validation, 'callback_url must use HTTPS.');
    }
    return value;
  }

  private checkHeaders(value: unknown): Record<string, string> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new HttpError(400, SANDBOX_ERRORS.validation, 'headers must be an object of key:value pairs.');
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  }

  private async createWebhook(req: http.IncomingMessage, res: http.ServerResponse, shop: SandboxShop): Promise<void> {
    const body = await readJson(req);
    const callback = this.checkCallbackUrl(body.callback_url);
    const event = body.event ?? 'shop.test';
    if (typeof event !== 'string' || !WEBHOOK_EVENTS.includes(event)) {
      throw new HttpError(400, SANDBOX_ERRORS.validation, `event must be one of ${WEBHOOK_EVENTS.join(', ')}.`);
    }
    const now = new Date().toISOString();
    const hook: SandboxWebhook = {
      id: crypto.randomUUID(),
      callback_url: callback,
      event,
      headers: body.headers === undefined ? {} : this.checkHeaders(body.headers),
      created_at: now,
      updated_at: now,
    };
    shop.webhooks.push(hook);
    this.state.changed();
    sendJson(res, 200, hook);
  }

  envelope(shop: SandboxShop, event: string, hook: SandboxWebhook | null, eventData?: Record<string, unknown>): Record<string, unknown> {
    const now = new Date().toISOString().replace('Z', '');
    const sub = shop.subscribers[0];
    return {
      webhook_id: hook?.id ?? crypto.randomUUID(),
      resource_type: 'shop',
      resource_id: shop.id,
      event_time: now,
      event,
      event_data: eventData ?? {
        id: `im_${crypto.randomBytes(8).toString('hex')}`,
        subscriber_id: sub?.id ?? null,
        shop_id: shop.id,
        is_opt_out: false,
        shopify_customer_id: null,
        from_number: sub?.phone_number ?? '+15555555555',
        created_at: now,
        body: 'Hello, world',
      },
    };
  }

  /**
   * A subscriber texts the shop: builds a `shop.incoming_message` delivery and sends it to each of
   * the shop's subscriptions for that event, signed with the shop's token, retrying like Postscript
   * (every `retryIntervalMs`, 5 minutes by default, until a 200 or for `retryWindowMs`, an hour).
   * Resolves after the first attempt; `done` resolves when retrying ends.
   */
  async deliverIncomingMessage(
    shopId: string,
    message: {
      body: string;
      fromNumber: string;
      subscriberId?: string | null;
      isOptOut?: boolean;
      /** Reuse an event id: a redelivery of the same event. */
      eventId?: string;
      /** Sign with this instead of the shop's token (to test rejections). */
      signature?: string;
      retryIntervalMs?: number;
      retryWindowMs?: number;
    },
  ): Promise<{ eventId: string; first: Array<number | null>; done: Promise<Array<Array<number | null>>> }> {
    const shop = this.state.shopById(shopId);
    if (shop === undefined) throw new Error(`No Sandbox shop ${shopId}.`);
    const hooks = shop.webhooks.filter((w) => w.event === 'shop.incoming_message');
    if (hooks.length === 0) throw new Error('This shop has no webhook subscription for shop.incoming_message.');
    const eventId = message.eventId ?? `im_${crypto.randomBytes(8).toString('hex')}`;
    const sub = shop.subscribers.find((x) => x.phone_number === message.fromNumber);
    const now = new Date().toISOString().replace('Z', '');
    const interval = message.retryIntervalMs ?? 5 * 60_000;
    const window = message.retryWindowMs ?? 60 * 60_000;
    const signature = message.signature ?? shop.signingToken;
    const attemptAll = (): Promise<Array<number | null>> =>
      Promise.all(
        hooks.map((hook) =>
          this.deliverSigned(hook, signature, {
            ...this.envelope(shop, 'shop.incoming_message', hook),
            event_data: {
              id: eventId,
              subscriber_id: message.subscriberId !== undefined ? message.subscriberId : (sub?.id ?? null),
              shop_id: shop.id,
              is_opt_out: message.isOptOut ?? false,
              shopify_customer_id: null,
              from_number: message.fromNumber,
              created_at: now,
              body: message.body,
            },
          }),
        ),
      );
    const first = await attemptAll();
    const done = (async () => {
      const rounds = [first];
      const started = Date.now();
      while (rounds[rounds.length - 1]!.some((st) => st !== 200) && Date.now() - started + interval <= window && this.server !== null) {
        await new Promise((r) => setTimeout(r, interval).unref());
        if (this.server === null) break;
        rounds.push(await attemptAll());
      }
      return rounds;
    })();
    return { eventId, first, done };
  }

  private async deliverSigned(hook: SandboxWebhook, signature: string, payload: Record<string, unknown>): Promise<number | null> {
    try {
      const res = await fetch(hook.callback_url, {
        method: 'POST',
        headers: { ...hook.headers, 'content-type': 'application/json', 'postscript-signature': signature },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return null;
    }
  }

  /** One signed delivery attempt; returns the HTTP status, or null when the endpoint was unreachable. */
  deliverWebhook(shop: SandboxShop, hook: SandboxWebhook, payload: Record<string, unknown>): Promise<number | null> {
    return this.deliverSigned(hook, shop.signingToken, payload);
  }

  /** Control API for tests, scripts and the app's Sandbox panel. Not part of Postscript's surface. */
  private async handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const p = url.pathname.replace(/\/+$/, '');
    if (method === 'GET' && p === '/_sandbox/state') {
      return sendJson(res, 200, {
        shops: this.state.data.shops.map((s) => ({ id: s.id, name: s.name, keys: s.privateKeys.length })),
        eventTypes: this.state.data.eventTypes,
        faults: this.faults,
        stats: this.stats,
      });
    }
    if (method === 'GET' && p === '/_sandbox/events') {
      const shopId = url.searchParams.get('shop_id');
      const events = this.state.data.events.filter((e) => shopId === null || e.shopId === shopId);
      return sendJson(res, 200, { events });
    }
    if (method === 'POST' && p === '/_sandbox/shops') {
      const body = await readJson(req);
      const name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim() : 'Sandbox Shop';
      const { shop, privateKey } = this.state.createShop(name);
      return sendJson(res, 201, { shop_id: shop.id, name: shop.name, api_key: privateKey, public_key: shop.publicKey });
    }
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/_sandbox\/shops\/([^/]+)\/keys$/.exec(p)) !== null) {
      const shop = this.state.shopById(decodeURIComponent(m[1]!));
      if (shop === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, 'No such shop.');
      return sendJson(res, 201, { api_key: this.state.mintKey(shop.id) });
    }
    if (method === 'POST' && (m = /^\/_sandbox\/shops\/([^/]+)\/incoming_message$/.exec(p)) !== null) {
      const body = await readJson(req);
      if (typeof body.body !== 'string' || typeof body.from_number !== 'string') {
        throw new HttpError(400, SANDBOX_ERRORS.validation, 'Send {"body": "...", "from_number": "+1..."}.');
      }
      try {
        const r = await this.deliverIncomingMessage(decodeURIComponent(m[1]!), {
          body: body.body,
          fromNumber: body.from_number,
          isOptOut: body.is_opt_out === true,
          ...(typeof body.event_id === 'string' ? { eventId: body.event_id } : {}),
          ...(typeof body.signature === 'string' ? { signature: body.signature } : {}),
          ...(typeof body.retry_interval_ms === 'number' ? { retryIntervalMs: body.retry_interval_ms } : {}),
        });
        return sendJson(res, 202, { event_id: r.eventId, first_attempt: r.first });
      } catch (err) {
        throw new HttpError(404, SANDBOX_ERRORS.notFound, err instanceof Error ? err.message : String(err));
      }
    }
    if ((method === 'PUT' || method === 'POST') && p === '/_sandbox/faults') {
      const body = await readJson(req);
      const next: Partial<SandboxFaults> = {};
      for (const k of ['rate429', 'rate5xx', 'dropRate'] as const) {
        const v = body[k];
        if (v !== undefined) {
          if (typeof v !== 'number' || v < 0 || v > 1) throw new HttpError(400, SANDBOX_ERRORS.validation, `${k} must be a number from 0 to 1.`);
          next[k] = v;
        }
      }
      if (body.delayMs !== undefined) {
        if (typeof body.delayMs !== 'number' || body.delayMs < 0) throw new HttpError(400, SANDBOX_ERRORS.validation, 'delayMs must be ≥ 0.');
        next.delayMs = body.delayMs;
      }
      if (body.remaining !== undefined) {
        if (body.remaining !== null && (typeof body.remaining !== 'number' || body.remaining < 0)) {
          throw new HttpError(400, SANDBOX_ERRORS.validation, 'remaining must be null or ≥ 0.');
        }
        next.remaining = body.remaining as number | null;
      }
      return sendJson(res, 200, this.setFaults(next));
    }
    if (method === 'DELETE' && p === '/_sandbox/faults') {
      this.faults = { ...NO_FAULTS };
      return sendJson(res, 200, this.faults);
    }
    if (method === 'POST' && p === '/_sandbox/reset') {
      this.state.reset();
      this.faults = { ...NO_FAULTS };
      this.limiter.reset();
      return sendJson(res, 200, { ok: true });
    }
    throw new HttpError(404, SANDBOX_ERRORS.notFound, `No such Sandbox control endpoint: ${method} ${p}`);
  }
}
