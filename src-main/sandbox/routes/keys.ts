/**
 * Sandbox control (not Postscript's API): revoke a private key, as a merchant would delete it in
 * Postscript → Settings → API. From then on the Sandbox answers 401 to it, like Postscript.
 *   POST /_sandbox/keys/revoke  {"api_key": "sk_…"}  → 200 {"revoked": true} | 404
 */
import { HttpError, readJson, SANDBOX_ERRORS, sendJson } from '../http';
import type { SandboxState } from '../state';
import type { Route, RouteRequest } from './route';

/** Removes the key from its shop; false when no shop has it. */
export function revokeKey(state: SandboxState, key: string): boolean {
  const shop = state.shopByPrivateKey(key);
  if (shop === undefined) return false;
  shop.privateKeys = shop.privateKeys.filter((k) => k !== key);
  state.changed(shop);
  return true;
}

export const keyRoutes: Array<Route<RouteRequest>> = [
  {
    methods: ['POST'],
    path: '/_sandbox/keys/revoke',
    handle: async ({ req, res, sandbox }) => {
      const body = await readJson(req);
      if (typeof body.api_key !== 'string') throw new HttpError(400, SANDBOX_ERRORS.validation, 'Send {"api_key": "sk_..."}.');
      if (!revokeKey(sandbox.state, body.api_key)) throw new HttpError(404, SANDBOX_ERRORS.notFound, 'No Sandbox shop has this key.');
      sendJson(res, 200, { revoked: true });
    },
  },
];
