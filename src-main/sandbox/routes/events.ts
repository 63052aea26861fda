/** POST /api/v2/events: custom events with Postscript's validation; the Sandbox records each one. */
import { POSTSCRIPT_TYPE_PATTERN } from '../../../src-shared/events/catalog';
import { OCCURRED_AT_PATTERN } from '../../../src-shared/time';
import { HttpError, readJson, SANDBOX_ERRORS, sendJson } from '../http';
import type { ApiRequest, Route } from './route';
import { samePhone } from './subscribers';

async function createEvent({ req, res, shop, sandbox }: ApiRequest): Promise<void> {
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
  const ev = sandbox.state.recordEvent(shop.id, type, body);
  sendJson(res, 202, { event_ids: [ev.eventId] });
}

export const eventRoutes: Array<Route<ApiRequest>> = [{ methods: ['POST'], path: '/api/v2/events', handle: createEvent }];
