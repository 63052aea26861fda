/** Channels of the `sandbox` area: the in-process Sandbox's status and its injected faults. */
import type { SandboxStatus } from '../../src-shared/ipc/contract';
import { requireStore } from '../db/lookups';
import type { MainContext } from './context';
import type { AreaHandlers, Router } from '../ipc/router';
import { DEMO_SHOP_ID } from '../sandbox/state';

export function sandboxStatus(ctx: MainContext): SandboxStatus {
  const { sandbox } = ctx;
  const types = new Map<string, { count: number; lastReceivedAt: string }>();
  for (const perShop of Object.values(sandbox.state.data.eventTypes)) {
    for (const [type, rec] of Object.entries(perShop)) {
      const prev = types.get(type);
      types.set(type, {
        count: (prev?.count ?? 0) + rec.count,
        lastReceivedAt: prev !== undefined && prev.lastReceivedAt > rec.lastReceivedAt ? prev.lastReceivedAt : rec.lastReceivedAt,
      });
    }
  }
  return {
    running: sandbox.url !== null,
    baseUrl: sandbox.url,
    shopName: sandbox.state.shopById(DEMO_SHOP_ID)?.name ?? null,
    faults: { ...sandbox.faults },
    eventTypes: [...types.entries()].map(([type, r]) => ({ type, ...r })).sort((a, b) => a.type.localeCompare(b.type)),
  };
}

export function sandboxHandlers(ctx: MainContext): AreaHandlers<'sandbox'> {
  return {
    status: async () => sandboxStatus(ctx),
    subscribers: async ({ storeId }) => {
      const store = requireStore(ctx, storeId);
      const shop = store.account !== 'sandbox' || store.postscriptShopId === null ? undefined : ctx.sandbox.state.shopById(store.postscriptShopId);
      return (shop?.subscribers ?? []).map((s) => ({ phone: s.phone_number, subscriberId: s.id, transactional: s.transactional }));
    },
    setFaults: async (faults) => {
      const clean = Object.fromEntries(Object.entries(faults).filter(([, v]) => v !== undefined));
      ctx.sandbox.setFaults(clean);
      ctx.bus.emit('changed', { topics: ['sandbox'] });
      return sandboxStatus(ctx);
    },
  };
}

export function registerSandboxHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('sandbox', sandboxHandlers(ctx));
}
