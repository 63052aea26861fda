import type { MainContext } from '../app/context';
import type { AreaHandlers, Router } from '../ipc/router';

export function deliveryHandlers(ctx: MainContext): AreaHandlers<'deliveries'> {
  return {
    list: async ({ storeId, beforeId, limit }) => {
      // Fetch one extra row to know whether there is a next page without a COUNT.
      const rows = ctx.repo.listDeliveries({
        limit: limit + 1,
        ...(storeId === undefined ? {} : { storeId }),
        ...(beforeId === undefined ? {} : { beforeId }),
      });
      const page = rows.slice(0, limit);
      return { rows: page, nextBeforeId: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
    },
  };
}

export function registerDeliveryHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('deliveries', deliveryHandlers(ctx));
}
