/** How a store is shown: its row in the stores list (with what "set up" means) and its page. */
import { SKIO_EVENTS } from '../../src-shared/events/catalog';
import type { StoreDetail, StoreSummary, TriggerState } from '../../src-shared/ipc/contract';
import { isActiveStore } from '../../src-shared/rules/activeStores';
import { setupStepsDone, type GoLiveCounts } from '../../src-shared/rules/setupState';
import { requireStore } from '../db/lookups';
import type { StoreRow } from '../db/store';
import { readinessOf } from '../readiness/checks';
import type { MainContext } from './context';

/** The go-live checks that are not passes, for a store whose setup steps are done. */
function goLiveOf(ctx: MainContext, row: StoreRow, stepsDone: boolean): GoLiveCounts | null {
  if (!stepsDone) return null;
  const checks = readinessOf(ctx, row.id).checks;
  const n = (status: string): number => checks.filter((c) => c.status === status).length;
  return { fail: n('fail'), unchecked: n('unchecked'), warn: n('warn'), eventsPassed: checks.filter((c) => c.id.startsWith('event:') && c.status === 'pass').length };
}

export function toSummary(ctx: MainContext, row: StoreRow): StoreSummary {
  const stepsDone = setupStepsDone(row);
  // What stops this console sending with the store's key (outbox/keyUse.ts), if anything.
  const use = ctx.keys.check(row);
  return {
    id: row.id,
    name: row.name,
    shopDomain: row.shopDomain,
    account: row.account,
    postscriptShopName: row.postscriptShopName,
    keyMask: row.keyMask,
    keyStatus: use?.status === 'locked' ? 'locked' : row.keyStatus,
    cannotSend: use?.reason ?? null,
    keyword: row.keyword,
    testPhone: row.testPhone,
    testUserStatus: row.testUserStatus,
    enabledEvents: row.enabledEvents,
    testedEvents: row.testedEvents,
    setupStep: row.setupStep,
    setupComplete: stepsDone,
    goLive: goLiveOf(ctx, row, stepsDone),
    archived: !isActiveStore(row),
    createdAt: row.createdAt,
  };
}

export function storeDetail(ctx: MainContext, storeId: string): StoreDetail {
  const row = requireStore(ctx, storeId);
  const triggers = new Map(ctx.repo.listTriggers(storeId).map((t): [string, TriggerState] => [t.eventKey, t]));
  // An answer the database could not take still says "in flight" there; it is not pending.
  for (const u of ctx.dispatcher.unrecorded()) {
    const t = triggers.get(u.eventKey);
    if (u.storeId !== storeId || t === undefined) continue;
    triggers.set(u.eventKey, { ...t, pending: Math.max(0, t.pending - 1), unrecorded: (t.unrecorded ?? 0) + 1 });
  }
  return {
    ...toSummary(ctx, row),
    postscriptShopId: row.postscriptShopId,
    keyValidatedAt: row.keyValidatedAt,
    keyCheckedAt: row.keyCheckedAt,
    testSubscriberId: row.testSubscriberId,
    testUserCheckedAt: row.testUserCheckedAt,
    // Always the whole catalog, in catalog order, so a newly added event shows up for old stores.
    triggers: SKIO_EVENTS.map(
      (e): TriggerState =>
        triggers.get(e.key) ?? {
          eventKey: e.key,
          skioSmsAlso: false,
          pending: 0,
          enabled: false,
          settings: e.settings ?? {},
          lastSuccessAt: null,
          lastOutcome: null,
          lastError: null,
        },
    ),
  };
}
