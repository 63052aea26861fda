/** Postscript's v2 API as the Sandbox answers it: one module per resource, in matching order. */
import { eventRoutes } from './events';
import { identityRoutes } from './identity';
import { keywordRoutes } from './keywords';
import type { ApiRequest, Route } from './route';
import { subscriberRoutes } from './subscribers';
import { webhookRoutes } from './webhooks';

export const apiRoutes: ReadonlyArray<Route<ApiRequest>> = [...identityRoutes, ...keywordRoutes, ...subscriberRoutes, ...eventRoutes, ...webhookRoutes];
