import { create } from 'zustand';
import type { LogFilter, LogRow } from '../../src-shared/ipc/contract';
import { api } from '../api';

const PAGE = 200;

interface DeliveriesState {
  rows: LogRow[];
  nextBeforeId: number | null;
  filter: LogFilter;
  loading: boolean;
  error: string | null;
  selectedId: number | null;
  /** Tables on screen now: with none, a change in the log costs no fetch. */
  shown: number;
  /** A change arrived while no table was on screen. */
  stale: boolean;
  /** Reloads the first page for the current filter (newest first). */
  refresh(): Promise<void>;
  setFilter(filter: LogFilter): Promise<void>;
  setStore(storeId: string | null): Promise<void>;
  /** Appends the next page (keyset: rows older than the last one shown). */
  loadMore(): Promise<void>;
  select(id: number | null): void;
  /** Refreshes when a table shows the log; otherwise marks it to refresh once one does. */
  refreshIfShown(): Promise<void>;
  /** A table on screen registers itself; returns its unregistration. */
  show(): () => void;
}

export const useDeliveries = create<DeliveriesState>((set, get) => ({
  rows: [],
  nextBeforeId: null,
  filter: {},
  loading: false,
  error: null,
  selectedId: null,
  shown: 0,
  stale: false,
  async refreshIfShown() {
    if (get().shown > 0) await get().refresh();
    else set({ stale: true });
  },
  show() {
    const catchUp = get().stale;
    set({ shown: get().shown + 1, stale: false });
    // Changes while no table was on screen were skipped: catch up now.
    if (catchUp) void get().refresh();
    return () => set({ shown: get().shown - 1 });
  },
  async refresh() {
    const { filter } = get();
    set({ loading: true });
    try {
      const page = await api.deliveries.list({ filter, limit: PAGE });
      if (get().filter === filter) set({ rows: page.rows, nextBeforeId: page.nextBeforeId, loading: false, error: null });
    } catch (err) {
      set({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  },
  async setFilter(filter) {
    set({ filter, rows: [], nextBeforeId: null, selectedId: null });
    await get().refresh();
  },
  /** The store page's recent deliveries: that store only, whatever the log page was filtered by. */
  async setStore(storeId) {
    await get().setFilter(storeId === null ? {} : { storeId });
  },
  async loadMore() {
    const { filter, nextBeforeId, rows, loading } = get();
    if (nextBeforeId === null || loading) return;
    set({ loading: true });
    try {
      const page = await api.deliveries.list({ filter, limit: PAGE, beforeId: nextBeforeId });
      if (get().filter === filter) set({ rows: [...rows, ...page.rows], nextBeforeId: page.nextBeforeId, loading: false });
    } catch (err) {
      set({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  },
  select(id) {
    set({ selectedId: id });
  },
}));
