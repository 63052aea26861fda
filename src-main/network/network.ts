/**
 * Holds the route (proxy + trusted CAs + connection pool) that calls to live Postscript take now.
 * Settings swap it without a restart: new calls take the new route, calls already under way
 * finish on the old pool, which then closes.
 */
import { request } from 'undici';
import { explainFailure } from './networkErrors';
import { DIRECT, type ProxyChoice } from './proxyChoice';
import { buildRoute, type NetworkRoute } from './route';

export class Network {
  private current: NetworkRoute;

  constructor(
    proxy: ProxyChoice = DIRECT,
    caFile: string | null = null,
    private readonly connections?: number,
  ) {
    this.current = buildRoute(proxy, caFile, connections);
  }

  route(): NetworkRoute {
    return this.current;
  }

  /** Builds the new route first: a CA file that cannot be read throws and changes nothing. */
  reconfigure(proxy: ProxyChoice, caFile: string | null): void {
    const next = buildRoute(proxy, caFile, this.connections);
    const old = this.current;
    this.current = next;
    void old.pool.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.current.pool.close().catch(() => undefined);
  }
}

/**
 * Is `baseUrl` reachable on this route? Any HTTP answer counts (even 404): the request carries no
 * key, so it costs no rate-limit budget and cannot create anything. Used to find out when a
 * Postscript that was out of reach is back, through the same proxy and TLS checks as real calls.
 */
export async function probeRoute(route: NetworkRoute, baseUrl: string, timeoutMs: number): Promise<{ ok: boolean; message: string; latencyMs: number }> {
  const started = Date.now();
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const res = await request(`${baseUrl.replace(/\/+$/, '')}/`, { method: 'HEAD', dispatcher: route.pool, signal: deadline, headersTimeout: timeoutMs });
    await res.body.dump();
    return { ok: true, message: `Reached ${baseUrl} (HTTP ${res.statusCode}).`, latencyMs: Date.now() - started };
  } catch (err) {
    let host = baseUrl;
    try {
      host = new URL(baseUrl).host;
    } catch {
      // keep it as written
    }
    const f = deadline.aborted
      ? { message: `No answer from ${host} within ${timeoutMs} ms.` }
      : explainFailure(err, { proxy: route.proxy.label, proxySource: route.proxy.source, envVar: route.proxy.envVar, host });
    return { ok: false, message: f.message, latencyMs: Date.now() - started };
  }
}
