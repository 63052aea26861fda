/** Subscribers with their consent: GET /api/v2/subscribers (filtered, paged) and /api/v2/subscribers/<id>. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { HttpError, SANDBOX_ERRORS, sendJson } from '../http';
import type { SandboxSubscriber } from '../state';
import type { ApiRequest, Route } from './route';

const PAGE_SIZE = 25;

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
export function samePhone(stored: string, given: string): boolean {
  const parsed = parsePhoneNumberFromString(given, 'US');
  return parsed !== undefined && parsed.number === stored;
}

function listSubscribers({ res, url, shop }: ApiRequest): void {
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

export const subscriberRoutes: Array<Route<ApiRequest>> = [
  { methods: ['GET'], path: '/api/v2/subscribers', handle: listSubscribers },
  {
    methods: ['GET'],
    path: /^\/api\/v2\/subscribers\/([^/]+)$/,
    handle: ({ res, shop, params }) => {
      const sub = shop.subscribers.find((s) => s.id === decodeURIComponent(params[0]!));
      if (sub === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, 'Could not find subscriber matching that information');
      sendJson(res, 200, serializeSubscriber(sub));
    },
  },
];
