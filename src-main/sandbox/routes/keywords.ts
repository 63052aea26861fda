/** The shop's keywords: GET /api/v2/keywords and /api/v2/keywords/<id>. */
import { HttpError, SANDBOX_ERRORS, sendJson } from '../http';
import type { ApiRequest, Route } from './route';

export const keywordRoutes: Array<Route<ApiRequest>> = [
  {
    methods: ['GET'],
    path: '/api/v2/keywords',
    handle: ({ res, shop }) => sendJson(res, 200, { keywords: shop.keywords }),
  },
  {
    methods: ['GET'],
    path: /^\/api\/v2\/keywords\/([^/]+)$/,
    handle: ({ res, shop, params }) => {
      const kw = shop.keywords.find((k) => k.id === decodeURIComponent(params[0]!));
      if (kw === undefined) throw new HttpError(404, SANDBOX_ERRORS.notFound, 'Could not find keyword matching that information');
      sendJson(res, 200, kw);
    },
  },
];
