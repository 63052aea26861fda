import { create } from 'zustand';
import type { Delivery } from '../../src-shared/ipc/contract';
import { api } from '../api';

const PAGE = 100;

interface DeliveriesState {
  rows: Delivery[];
  nextBeforeId: number | null;
  storeId: string | null;
  loading: boolean;
  selected: Delivery | null;
  /** Reloads the first page for the current filter. */
  refresh(): Promise<void>;
  setStore(storeId: string | null): Promise<void>;
  loadMore(): Promise<void>;
  open(row: Delivery | null): void;
}

export const useDeliveries = create<DeliveriesState>((set, get) => ({
  rows: [],
  nextBeforeId: null,
  storeId: null,
  loading: false,
  selected: null,
  async refresh() {
    const { storeId } = get();
    set({ loading: true });
    const page = await api.deliveries.list({ limit: PAGE, ...(storeId === null ? {} : { storeId }) });
    if (get().storeId === storeId) set({ rows: page.rows, nextBeforeId: page.nextBeforeId, loading: false });
  },
  async setStore(storeId) {
    set({ storeId, rows: [], nextBeforeId: null, selected: null });
    await get().refresh();
  },
  async loadMore() {
    const { storeId, nextBeforeId, rows } = get();
    if (nextBeforeId === null) return;
    set({ loading: true });
    const page = await api.deliveries.list({ limit: PAGE, beforeId: nextBeforeId, ...(storeId === null ? {} : { storeId }) });
    set({ rows: [...rows, ...page.rows], nextBeforeId: page.nextBeforeId, loading: false });
  },
  open(row) {
    set({ selected: row });
  },
}));
