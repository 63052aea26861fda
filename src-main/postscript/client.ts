/**
 * Postscript v2 API client (undici). Two layers:
 *  - `exchange()`: one HTTP round trip, never throws; returns what was sent (secrets masked) and
 *    what came back or how it failed, with timing. The delivery log records exactly this.
 *  - typed calls (`me()`, `keywords()`, `createEvent()`...): throw `PostscriptError` on any failure.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { maskSecret } from '../../src-shared/mask';
import { explainFailure, type Failure, type FailureKind } from '../network/networkErrors';
import { POOL_CONNECTIONS, type NetworkRoute } from '../network/route';

export type { FailureKind } from '../network/networkErrors';


export type PostscriptAuth =
  | { kind: 'shop'; apiKey: string }
  /** Partner key in Authorization, the shop's key in X-Postscript-Shop-Token. */
  | { kind: 'partner'; partnerKey: string; shopToken: string };

export interface ClientOptions {
  baseUrl: string;
  auth: PostscriptAuth;
  /** Time to wait for response headers (and, separately, for the body). */
  timeoutMs?: number;
  pool?: Dispatcher;
  /** Proxy and TLS set-up for live Postscript (Settings); wins over `dispatcher`. */
  route?: NetworkRoute;
  /**
   * Shared per-token pacing, so one-off calls and the outbox together stay under Postscript's
   * 15 requests/second. The outbox paces its own sends and passes none.
   */
  pacer?: { acquire(token: string): Promise<void>; release(token: string): void; token: string };
}

export interface ExchangeRequest {
  method: string;
  url: string;
  /** As sent, with every secret masked. */
  headers: Record<string, string>;
  body: string;
}

export interface Exchange {
  request: ExchangeRequest;
  response: { status: number; body: string } | null;
  /** Set when no HTTP answer arrived. `sent` says whether the request may have reached Postscript. */
  failure: Failure | null;
  latencyMs: number;
  startedAt: string;
  finishedAt: string;
}

export class PostscriptError extends Error {
  constructor(
    message: string,
    readonly kind: 'http' | 'network',
    readonly status: number | null,
    readonly errorCode: number | null,
    readonly failure: FailureKind | null,
    readonly sent: boolean,
  ) {
    super(message);
    this.name = 'PostscriptError';
  }
}

/** One shared keep-alive pool: connections to Postscript are reused across calls and stores. */
let sharedAgent: Agent | null = null;
export function sharedPool(): Agent {
  // As large as the outbox's in-flight budget: one request per HTTP/1.1 socket (network/route.ts).
  sharedAgent ??= new Agent({ keepAliveTimeout: 30_000, connections: POOL_CONNECTIONS, connect: { timeout: 10_000 } });
  return sharedAgent;
}
export async function closeSharedPool(): Promise<void> {
  const agent = sharedAgent;
  sharedAgent = null;
  if (agent !== null) await agent.close();
}

/** Reads Postscript's error shapes: `{error_code, error_message}`, `{errors: [{msg}]}`, `{error}`. */
export function parseErrorBody(body: string): { errorCode: number | null; message: string | null } {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const errorCode = typeof json.error_code === 'number' ? json.error_code : null;
    if (typeof json.error_message === 'string') return { errorCode, message: json.error_message };
    if (Array.isArray(json.errors)) {
      const msgs = json.errors
        .map((x) => (typeof x === 'object' && x !== null && typeof (x as { msg?: unknown }).msg === 'string' ? (x as { msg: string }).msg : null))
        .filter((x): x is string => x !== null);
      if (msgs.length > 0) return { errorCode, message: msgs.join('; ') };
    }
    if (typeof json.error === 'string') return { errorCode, message: json.error };
    return { errorCode, message: null };
  } catch {
    return { errorCode: null, message: null };
  }
}

export interface Identity {
  resource_id: string;
  resource_name: string;
  resource_type: string;
}
export interface Keyword {
  id: string;
  keyword: string;
  triggered_count?: number;
  created_at?: string;
  updated_at?: string;
}
export interface Subscriber {
  id: string;
  phone_number: string;
  email?: string | null;
  subscriptions?: { promotional?: { can_send?: boolean }; transactional?: { can_send?: boolean } };
}
export interface CreateEventBody {
  type: string;
  subscriber_id?: string;
  phone?: string;
  email?: string;
  occurred_at?: string;
  properties?: Record<string, unknown>;
  external_id?: string;
}
export interface WebhookSubscription {
  id: string;
  callback_url: string;
  event: string;
  headers?: Record<string, string>;
  created_at?: string;
  updated_at?: string;
}

export class PostscriptClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly pool: Dispatcher;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.pool = options.route?.pool ?? options.pool ?? sharedPool();
  }

  private explain(err: unknown): Failure {
    const proxy = this.options.route?.proxy;
    let host = this.baseUrl;
    try {
      host = new URL(this.baseUrl).host;
    } catch {
      // keep the base URL as written
    }
    return explainFailure(err, { proxy: proxy?.label ?? null, proxySource: proxy?.source ?? 'none', envVar: proxy?.envVar ?? null, host });
  }

  private headers(hasBody: boolean): { real: Record<string, string>; masked: Record<string, string> } {
    const real: Record<string, string> = { accept: 'application/json', 'user-agent': 'PostscriptConsole/0.1' };
    const masked: Record<string, string> = { ...real };
    if (hasBody) {
      real['content-type'] = 'application/json';
      masked['content-type'] = 'application/json';
    }
    const auth = this.options.auth;
    if (auth.kind === 'shop') {
      real.authorization = `Bearer ${auth.apiKey}`;
      masked.authorization = `Bearer ${maskSecret(auth.apiKey)}`;
    } else {
      real.authorization = `Bearer ${auth.partnerKey}`;
      masked.authorization = `Bearer ${maskSecret(auth.partnerKey)}`;
      real['x-postscript-shop-token'] = auth.shopToken;
      masked['x-postscript-shop-token'] = maskSecret(auth.shopToken);
    }
    return { real, masked };
  }

  async exchange(method: string, path: string, body?: unknown): Promise<Exchange> {
    const pacer = this.options.pacer;
    if (pacer === undefined) return this.exchangeNow(method, path, body);
    await pacer.acquire(pacer.token);
    try {
      return await this.exchangeNow(method, path, body);
    } finally {
      pacer.release(pacer.token);
    }
  }

  private async exchangeNow(method: string, path: string, body?: unknown): Promise<Exchange> {
    const url = `${this.baseUrl}${path}`;
    const bodyText = body === undefined ? '' : JSON.stringify(body);
    const { real, masked } = this.headers(body !== undefined);
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const req: ExchangeRequest = { method, url, headers: masked, body: bodyText };
    // undici's own timeouts are coarse (about a second); this one is exact and covers the whole call.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    try {
      const res = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers: real,
        ...(body === undefined ? {} : { body: bodyText }),
        dispatcher: this.pool,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: deadline.signal,
      });
      const text = await res.body.text();
      const finished = Date.now();
      return {
        request: req,
        response: { status: res.statusCode, body: text },
        failure: null,
        latencyMs: finished - started,
        startedAt,
        finishedAt: new Date(finished).toISOString(),
      };
    } catch (err) {
      const finished = Date.now();
      return {
        request: req,
        response: null,
        failure: deadline.signal.aborted ? { kind: 'timeout', sent: true, message: `Postscript did not answer within ${this.timeoutMs} ms.` } : this.explain(err),
        latencyMs: finished - started,
        startedAt,
        finishedAt: new Date(finished).toISOString(),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Performs a call and returns its parsed JSON body, or throws a PostscriptError. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return PostscriptClient.unwrap<T>(await this.exchange(method, path, body));
  }

  static unwrap<T>(ex: Exchange): T {
    if (ex.failure !== null) {
      throw new PostscriptError(ex.failure.message, 'network', null, null, ex.failure.kind, ex.failure.sent);
    }
    const res = ex.response!;
    if (res.status >= 200 && res.status < 300) {
      try {
        return (res.body === '' ? {} : JSON.parse(res.body)) as T;
      } catch {
        throw new PostscriptError('Postscript answered with a body that is not JSON.', 'http', res.status, null, null, true);
      }
    }
    const parsed = parseErrorBody(res.body);
    throw new PostscriptError(
      parsed.message ?? `Postscript answered HTTP ${res.status}.`,
      'http',
      res.status,
      parsed.errorCode,
      null,
      true,
    );
  }

  me(): Promise<Identity> {
    return this.call('GET', '/api/v2/me');
  }
  async keywords(): Promise<Keyword[]> {
    return (await this.call<{ keywords: Keyword[] }>('GET', '/api/v2/keywords')).keywords;
  }
  async findSubscriberByPhone(phone: string): Promise<Subscriber | null> {
    const q = new URLSearchParams({ phone_number__eq: phone });
    const res = await this.call<{ subscribers: Subscriber[] }>('GET', `/api/v2/subscribers?${q.toString()}`);
    return res.subscribers[0] ?? null;
  }
  getSubscriber(id: string): Promise<Subscriber> {
    return this.call('GET', `/api/v2/subscribers/${encodeURIComponent(id)}`);
  }
  createEventExchange(body: CreateEventBody): Promise<Exchange> {
    return this.exchange('POST', '/api/v2/events', body);
  }
  async webhookSigningToken(): Promise<string> {
    return (await this.call<{ token: string }>('GET', '/api/v2/webhooks/token')).token;
  }
  async listWebhooks(): Promise<WebhookSubscription[]> {
    return (await this.call<{ webhook_subscriptions: WebhookSubscription[] }>('GET', '/api/v2/webhooks')).webhook_subscriptions;
  }
  createWebhook(body: { callback_url: string; event: string; headers?: Record<string, string> }): Promise<WebhookSubscription> {
    return this.call('POST', '/api/v2/webhooks', body);
  }
  async deleteWebhook(id: string): Promise<void> {
    await this.call('DELETE', `/api/v2/webhooks/${encodeURIComponent(id)}`);
  }
}
