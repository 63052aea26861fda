/**
 * The Sandbox's control API under /_sandbox/, for tests, scripts and the app's Sandbox panel:
 * state, received events, shops and keys, simulated incoming messages, faults, reset.
 * Not part of Postscript's surface.
 */
import type { SandboxFaults } from '../../../src-shared/ipc/contract';
import { NO_FAULTS } from '../faults';
import { HttpError, readJson, SANDBOX_ERRORS, sendJson } from '../http';
import { keyRoutes } from './keys';
import type { Route, RouteRequest } from './route';

async function incomingMessage({ req, res, sandbox, params }: RouteRequest): Promise<void> {
  const body = await readJson(req);
  if (typeof body.body !== 'string' || typeof body.from_number !== 'string') {
    throw new HttpError(400, SANDBOX_ERRORS.validation, 'Send {"body": "...", "from_number": "+1..."}.');
  }
  try {
    const r = await sandbox.deliverIncomingMessage(decodeURIComponent(params[0]!), {
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

async function setFaults({ req, res, sandbox }: RouteRequest): Promise<void> {
  const body = await readJson(req);
  const next: Partial<SandboxFaults> = {};
  for (const k of ['requestDelayMs', 'responseDelayMs', 'jitterMs', 'flapUpMs', 'flapDownMs'] as const) {
    const v = body[k];
    if (v !== undefined) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new HttpError(400, SANDBOX_ERRORS.validation, `${k} must be a whole number ≥ 0.`);
      next[k] = v;
    }
  }
  for (const k of ['rate429', 'rate5xx', 'dropRate', 'lossRate'] as const) {
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
  sendJson(res, 200, sandbox.setFaults(next));
}

export const controlRoutes: Array<Route<RouteRequest>> = [
  {
    methods: ['GET'],
    path: '/_sandbox/state',
    handle: ({ res, sandbox }) =>
      sendJson(res, 200, {
        shops: sandbox.state.data.shops.map((s) => ({ id: s.id, name: s.name, keys: s.privateKeys.length })),
        eventTypes: sandbox.state.data.eventTypes,
        faults: sandbox.faults,
        stats: sandbox.stats,
      }),
  },
  {
    methods: ['GET'],
    path: '/_sandbox/events',
    handle: ({ res, url, sandbox }) => {
      const shopId = url.searchParams.get('shop_id');
      const events = sandbox.state.data.events.filter((e) => shopId === null || e.shopId === shopId);
      sendJson(res, 200, { events });
    },
  },
  {
    methods: ['POST'],
    path: '/_sandbox/shops',
    handle: async ({ req, res, sandbox }) => {
      const body = await readJson(req);
      const name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim() : 'Sandbox Shop';
      const { shop, privateKey } = sandbox.state.createShop(name);
      sendJson(res, 201, { shop_id: shop.id, name: shop.name, api_key: privateKey, public_key: shop.publicKey });
    },
  },
  {
    methods: ['POST'],
    path: /^\/_sandbox\/shops\/([^/]+)\/keys$/,
    handle: ({ res, sandbox, params }) => {
      const shop = sandbox.state.shopById(decodeURIComponent(params[0]!));
      if (shop === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, 'No such shop.');
      sendJson(res, 201, { api_key: sandbox.state.mintKey(shop.id) });
    },
  },
  { methods: ['POST'], path: /^\/_sandbox\/shops\/([^/]+)\/incoming_message$/, handle: incomingMessage },
  { methods: ['PUT', 'POST'], path: '/_sandbox/faults', handle: setFaults },
  {
    methods: ['DELETE'],
    path: '/_sandbox/faults',
    handle: ({ res, sandbox }) => {
      sendJson(res, 200, sandbox.setFaults({ ...NO_FAULTS }));
    },
  },
  {
    methods: ['POST'],
    path: '/_sandbox/reset',
    handle: ({ res, sandbox }) => {
      sandbox.state.reset();
      sandbox.setFaults({ ...NO_FAULTS });
      sandbox.resetRateLimits();
      sendJson(res, 200, { ok: true });
    },
  },
  ...keyRoutes,
];
