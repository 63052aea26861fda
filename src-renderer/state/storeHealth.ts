/** The health watch as the stores list shows it: each store's latest health, the schedule, the filter. */
import { create } from 'zustand';
import type { HealthStatus, WatchStatus } from '../../src-shared/ipc/contract';
import { api } from '../api';

interface StoreHealthState {
  watch: WatchStatus | null;
  byStore: Record<string, { status: HealthStatus; checkedAt: string; problems: string[] }>;
  /** The stores list shows only stores that need attention. */
  attentionOnly: boolean;
  setAttentionOnly(on: boolean): void;
  refresh(): Promise<void>;
  apply(watch: WatchStatus): void;
}

export { attentionCount, needsAttention, standingAlerts } from '../../src-shared/attentionViews';

export const useStoreHealth = create<StoreHealthState>((set, get) => ({
  watch: null,
  byStore: {},
  attentionOnly: false,
  setAttentionOnly: (on) => set({ attentionOnly: on }),
  async refresh() {
    try {
      get().apply(await api.readiness.watchStatus({}));
    } catch {
      // The next change refetches; the list works without health.
    }
  },
  apply(watch) {
    set({ watch, byStore: Object.fromEntries(watch.stores.map((s) => [s.storeId, s])) });
  },
}));
