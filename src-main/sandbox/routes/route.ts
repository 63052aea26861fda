/**
 * A small route table: each resource module exports its routes (method, exact path or pattern,
 * handler); the server takes the first that matches, in table order. Path parameters come back
 * still URL-encoded: each handler decodes them where a bad encoding should be reported.
 */
import type http from 'node:http';
import type { SandboxFaults } from '../../../src-shared/ipc/contract';
import type { SandboxStats } from '../faults';
import type { SandboxShop, SandboxState, SandboxWebhook } from '../state';
import type { IncomingDelivery, IncomingMessage } from '../webhookDelivery';

/** What routes may use of the Sandbox (the `Sandbox` class is one). */
export interface SandboxHost {
  readonly state: SandboxState;
  faults: SandboxFaults;
  readonly stats: SandboxStats;
  setFaults(faults: Partial<SandboxFaults>): SandboxFaults;
  resetRateLimits(): void;
  envelope(shop: SandboxShop, event: string, hook: SandboxWebhook | null, eventData?: Record<string, unknown>): Record<string, unknown>;
  deliverWebhook(shop: SandboxShop, hook: SandboxWebhook, payload: Record<string, unknown>): Promise<number | null>;
  deliverIncomingMessage(shopId: string, message: IncomingMessage): Promise<IncomingDelivery>;
}

export interface RouteRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  method: string;
  /** The path without trailing slashes. */
  path: string;
  /** The pattern's captured groups, still URL-encoded. */
  params: string[];
  sandbox: SandboxHost;
}

/** A request to Postscript's API, already authenticated as a shop. */
export interface ApiRequest extends RouteRequest {
  shop: SandboxShop;
}

export interface Route<R extends RouteRequest> {
  /** HTTP methods this route answers; '*' takes any (the handler tells them apart). */
  methods: readonly string[] | '*';
  path: string | RegExp;
  handle(r: R): void | Promise<void>;
}

/** The first route that matches, with its captured path parameters. */
export function findRoute<R extends RouteRequest>(routes: ReadonlyArray<Route<R>>, method: string, path: string): { route: Route<R>; params: string[] } | undefined {
  for (const route of routes) {
    if (route.methods !== '*' && !route.methods.includes(method)) continue;
    if (typeof route.path === 'string') {
      if (route.path === path) return { route, params: [] };
      continue;
    }
    const m = route.path.exec(path);
    if (m !== null) return { route, params: m.slice(1) };
  }
  return undefined;
}
