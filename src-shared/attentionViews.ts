/**
 * The "Needs attention (N)" count and the red banners read the same health (what Postscript last
 * said, from main's `attentionAll`): a banner stands only while its store is red there, and says
 * that health's problems, so no banner is up while the count says 0. Pure, for the renderer.
 */
import type { HealthStatus } from './ipc/contract';
import { isActiveStore, type StoreLifecycle } from './rules/activeStores';

type HealthNow = Record<string, { status: HealthStatus; checkedAt: string; problems: string[] }>;

export function needsAttention(status: HealthStatus | undefined): boolean {
  return status === 'amber' || status === 'red';
}

export function attentionCount(stores: Array<StoreLifecycle & { id: string }>, byStore: HealthNow): number {
  // Counted as the filter shows them: an archived store keeps its history but is not in the list.
  return stores.filter((s) => isActiveStore(s) && needsAttention(byStore[s.id]?.status)).length;
}

export function standingAlerts<A extends { storeId: string; problems: string[] }>(alerts: A[], byStore: HealthNow): A[] {
  return alerts.flatMap((a) => {
    const now = byStore[a.storeId];
    return now?.status === 'red' ? [{ ...a, problems: now.problems }] : [];
  });
}
