/**
 * The connection pool calls to live Postscript use: direct or through a proxy, trusting the
 * configured CAs. Rebuilt when Settings change (no restart); the old pool closes gracefully, so
 * requests already on it finish.
 */
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { DIRECT, type ProxyChoice } from './proxyChoice';
import { trustedCas } from './tlsTrust';

/**
 * Sockets kept per origin. The outbox keeps up to MAX_IN_FLIGHT (128) requests open at once and
 * HTTP/1.1 carries one request per socket, so the pool must be at least that large or requests
 * queue for a socket and the in-flight budget is a fiction; the rest is room for one-off calls
 * (key checks, the reachability probe) beside a full outbox (see docs/architecture.md, "Latency").
 */
export const POOL_CONNECTIONS = 160;
const KEEP_ALIVE_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

export interface NetworkRoute {
  /** undici's connection pool for this route (not the outbox's Dispatcher). */
  pool: Dispatcher;
  proxy: ProxyChoice;
  /** The custom CA file in use, if any. */
  caFile: string | null;
}

export function buildRoute(proxy: ProxyChoice, caFile: string | null, connections = POOL_CONNECTIONS): NetworkRoute {
  const ca = trustedCas(caFile);
  const tlsOptions = ca === undefined ? {} : { ca };
  const base = { keepAliveTimeout: KEEP_ALIVE_MS, connections, connect: { timeout: CONNECT_TIMEOUT_MS, ...tlsOptions } };
  if (proxy.url === null) return { pool: new Agent(base), proxy: DIRECT, caFile };
  // Every value is explicit so that undici does not read the environment behind our back.
  const pool = new EnvHttpProxyAgent({
    ...base,
    httpProxy: proxy.url,
    httpsProxy: proxy.url,
    noProxy: proxy.noProxy,
    requestTls: { ...tlsOptions },
  });
  return { pool, proxy, caFile };
}
