/**
 * Webhook subscriptions: the signing token, example and test deliveries, and create / list / get /
 * update / delete of subscriptions (/api/v2/webhooks...).
 */
import crypto from 'node:crypto';
import { HttpError, readJson, SANDBOX_ERRORS, sendJson } from '../http';
import type { SandboxWebhook } from '../state';
import { WEBHOOK_EVENTS } from '../webhookDelivery';
import type { ApiRequest, Route } from './route';

function checkCallbackUrl(value: unknown): string {
  if (typeof value !== 'string') throw new HttpError(400, SANDBOX_ERRORS.validation, 'callback_url is required.');
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new HttpError(400, SANDBOX_ERRORS.validation, 'callback_url must be a URL.');
  }
  // Postscript requires HTTPS. The Sandbox also allows plain http to loopback so that the app's
  // local listener can receive deliveries without a tunnel (on any loopback address: 127.0.0.0/8).
  const loopback = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(u.hostname) || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new HttpError(400, SANDBOX_ERRORS.validation, 'callback_url must use HTTPS.');
  }
  return value;
}

function checkHeaders(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, SANDBOX_ERRORS.validation, 'headers must be an object of key:value pairs.');
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

async function createWebhook({ req, res, shop, sandbox }: ApiRequest): Promise<void> {
  const body = await readJson(req);
  const callback = checkCallbackUrl(body.callback_url);
  const event = body.event ?? 'shop.test';
  if (typeof event !== 'string' || !WEBHOOK_EVENTS.includes(event)) {
    throw new HttpError(400, SANDBOX_ERRORS.validation, `event must be one of ${WEBHOOK_EVENTS.join(', ')}.`);
  }
  const now = new Date().toISOString();
  const hook: SandboxWebhook = {
    id: crypto.randomUUID(),
    callback_url: callback,
    event,
    headers: body.headers === undefined ? {} : checkHeaders(body.headers),
    created_at: now,
    updated_at: now,
  };
  shop.webhooks.push(hook);
  sandbox.state.changed(shop);
  sendJson(res, 200, hook);
}

/** Any method on /api/v2/webhooks/<id>: the subscription must exist before the method is looked at. */
async function oneWebhook({ req, res, shop, sandbox, params, method, path }: ApiRequest): Promise<void> {
  const hookId = decodeURIComponent(params[0]!);
  const hook = shop.webhooks.find((w) => w.id === hookId);
  if (hook === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, 'Could not find webhook subscription matching that information');
  if (method === 'GET') return sendJson(res, 200, hook);
  if (method === 'DELETE') {
    shop.webhooks = shop.webhooks.filter((w) => w.id !== hookId);
    sandbox.state.changed(shop);
    return sendJson(res, 200, {});
  }
  if (method === 'PATCH') {
    const body = await readJson(req);
    if (body.callback_url !== undefined) hook.callback_url = checkCallbackUrl(body.callback_url);
    if (body.headers !== undefined) hook.headers = checkHeaders(body.headers);
    hook.updated_at = new Date().toISOString();
    sandbox.state.changed(shop);
    return sendJson(res, 200, hook);
  }
  throw new HttpError(404, SANDBOX_ERRORS.notFound, `No such endpoint: ${method} ${path}`);
}

export const webhookRoutes: Array<Route<ApiRequest>> = [
  { methods: ['GET'], path: '/api/v2/webhooks/token', handle: ({ res, shop }) => sendJson(res, 200, { token: shop.signingToken }) },
  {
    methods: ['GET'],
    path: '/api/v2/webhooks/example',
    handle: ({ res, url, shop, sandbox }) => {
      const event = url.searchParams.get('event') ?? 'shop.test';
      if (!WEBHOOK_EVENTS.includes(event)) throw new HttpError(400, SANDBOX_ERRORS.validation, `Unknown event "${event}".`);
      sendJson(res, 200, sandbox.envelope(shop, event, null));
    },
  },
  {
    methods: ['POST'],
    path: '/api/v2/webhooks/test',
    handle: async ({ req, res, shop, sandbox }) => {
      const body = await readJson(req);
      const event = typeof body.event === 'string' ? body.event : 'shop.test';
      if (!WEBHOOK_EVENTS.includes(event)) throw new HttpError(400, SANDBOX_ERRORS.validation, `Unknown event "${event}".`);
      for (const hook of shop.webhooks.filter((w) => w.event === event)) {
        void sandbox.deliverWebhook(shop, hook, sandbox.envelope(shop, event, hook));
      }
      sendJson(res, 202, { message: 'OK' });
    },
  },
  { methods: ['GET'], path: '/api/v2/webhooks', handle: ({ res, shop }) => sendJson(res, 200, { webhook_subscriptions: shop.webhooks }) },
  { methods: ['POST'], path: '/api/v2/webhooks', handle: createWebhook },
  { methods: '*', path: /^\/api\/v2\/webhooks\/([^/]+)$/, handle: oneWebhook },
];
