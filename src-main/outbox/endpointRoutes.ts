/**
 * Which network route (proxy, CAs) each Postscript endpoint is reached by, so that the probe of an
 * unreachable endpoint goes the same way as its sends: through the proxy, with the same TLS checks.
 */
import { probeRoute } from '../network/network';
import { DIRECT } from '../network/proxyChoice';
import type { NetworkRoute } from '../network/route';
import { sharedPool } from '../postscript/client';

type Account = 'sandbox' | 'live';

export class EndpointRoutes {
  private readonly routes = new Map<string, NetworkRoute | undefined>();

  constructor(
    private readonly baseUrlFor: (account: Account) => string,
    private readonly routeFor: ((account: Account) => NetworkRoute | undefined) | undefined,
  ) {}

  /** The route a store's client was built with (undefined: the shared direct pool). */
  remember(endpoint: string, route: NetworkRoute | undefined): void {
    this.routes.set(endpoint, route);
  }

  /** The settings changed: routes are looked up afresh. */
  clear(): void {
    this.routes.clear();
  }

  /** The route of an endpoint, also one marked offline before anything was sent to it. */
  routeOf(endpoint: string): NetworkRoute {
    const known = this.routes.get(endpoint) ?? this.byAccount(endpoint);
    return known ?? { pool: sharedPool(), proxy: DIRECT, caFile: null };
  }

  private byAccount(endpoint: string): NetworkRoute | undefined {
    for (const account of ['live', 'sandbox'] as const) {
      try {
        if (this.baseUrlFor(account) === endpoint) return this.routeFor?.(account);
      } catch {
        // that account has no endpoint now (the Sandbox stopped)
      }
    }
    return undefined;
  }

  /** The reachability probe: true when the endpoint answers at all, else why not. */
  readonly probe = async (endpoint: string, timeoutMs: number): Promise<boolean | string> => {
    const r = await probeRoute(this.routeOf(endpoint), endpoint, timeoutMs);
    return r.ok ? true : r.message;
  };
}
