/** GET /api/v2/me: the shop a key belongs to. */
import { sendJson } from '../http';
import type { ApiRequest, Route } from './route';

export const identityRoutes: Array<Route<ApiRequest>> = [
  {
    methods: ['GET'],
    path: '/api/v2/me',
    handle: ({ res, shop }) => sendJson(res, 200, { resource_id: shop.id, resource_name: shop.name, resource_type: 'shop' }),
  },
];
