import { create } from 'zustand';
import type { StoreDetail, StoreSummary } from '../../src-shared/ipc/contract';
import { api } from '../api';

interface StoresState {
  list: StoreSummary[];
  loaded: boolean;
  selectedId: string | null;
  detail: StoreDetail | null;
  loadError: string | null;
  refresh(): Promise<void>;
  select(id: string | null): Promise<void>;
  refreshDetail(): Promise<void>;
}

export const useStores = create<StoresState>((set, get) => ({
  list: [],
  loaded: false,
  selectedId: null,
  detail: null,
  loadError: null,
  async refresh() {
    try {
      const list = await api.stores.list({});
      set({ list, loaded: true, loadError: null });
      const { selectedId } = get();
      if (selectedId !== null && !list.some((s) => s.id === selectedId)) set({ selectedId: null, detail: null });
    } catch (err) {
      set({ loaded: true, loadError: err instanceof Error ? err.message : String(err) });
    }
  },
  async select(id) {
    set({ selectedId: id, detail: null });
    if (id !== null) await get().refreshDetail();
  },
  async refreshDetail() {
    const id = get().selectedId;
    if (id === null) return;
    try {
      const detail = await api.stores.get({ storeId: id });
      if (get().selectedId === id) set({ detail });
    } catch {
      set({ detail: null });
    }
  },
}));
