/**
 * The stores the console knows, kept row by row: a change to one store refetches and redraws that
 * row only (thousands of stores stay smooth), and creating a store does not reload the list.
 */
import { create } from 'zustand';
import type { StoreDetail, StoreSummary } from '../../src-shared/ipc/contract';
import { api } from '../api';

/** What pickers need (store selects, batch checklists); its reference changes only when these do. */
export interface StoreEntry {
  id: string;
  name: string;
  shopDomain: string;
  account: 'sandbox' | 'live';
  archived: boolean;
}

export { storeEntryLabel } from './storeLabel';

interface StoresState {
  /** Store ids in list order (name, case-insensitive, then id: the order main lists them in). */
  ids: string[];
  byId: Record<string, StoreSummary>;
  directory: StoreEntry[];
  loaded: boolean;
  selectedId: string | null;
  detail: StoreDetail | null;
  loadError: string | null;
  refresh(): Promise<void>;
  /** Refetches just these rows; rows that no longer exist leave the list. */
  refreshRows(storeIds: string[]): Promise<void>;
  select(id: string | null): Promise<void>;
  refreshDetail(): Promise<void>;
}

/** The byIds channel takes at most this many ids per call. */
const ROWS_PER_CALL = 1000;

export function compareStores(a: StoreSummary, b: StoreSummary): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function toDirectory(ids: string[], byId: Record<string, StoreSummary>): StoreEntry[] {
  return ids.map((id) => {
    const s = byId[id]!;
    return { id, name: s.name, shopDomain: s.shopDomain, account: s.account, archived: s.archived };
  });
}

/** Same id, name, domain, account and archive state: pickers need not redraw. */
function sameEntry(a: StoreSummary | undefined, b: StoreSummary): boolean {
  return a !== undefined && a.name === b.name && a.shopDomain === b.shopDomain && a.account === b.account && a.archived === b.archived;
}

export const useStores = create<StoresState>((set, get) => ({
  ids: [],
  byId: {},
  directory: [],
  loaded: false,
  selectedId: null,
  detail: null,
  loadError: null,
  async refresh() {
    try {
      const list = await api.stores.list({});
      const byId: Record<string, StoreSummary> = {};
      const old = get().byId;
      // Unchanged rows keep their object, so their components do not redraw.
      for (const s of list) byId[s.id] = old[s.id] !== undefined && JSON.stringify(old[s.id]) === JSON.stringify(s) ? old[s.id]! : s;
      const ids = list.map((s) => s.id);
      set({ ids, byId, directory: toDirectory(ids, byId), loaded: true, loadError: null });
      const { selectedId } = get();
      if (selectedId !== null && byId[selectedId] === undefined) set({ selectedId: null, detail: null });
    } catch (err) {
      set({ loaded: true, loadError: err instanceof Error ? err.message : String(err) });
    }
  },
  async refreshRows(storeIds) {
    const wanted = [...new Set(storeIds)];
    const fetched: StoreSummary[] = [];
    for (let i = 0; i < wanted.length; i += ROWS_PER_CALL) fetched.push(...(await api.stores.byIds({ storeIds: wanted.slice(i, i + ROWS_PER_CALL) })));
    const found = new Map(fetched.map((s) => [s.id, s]));
    const { byId: old, ids: oldIds } = get();
    const byId = { ...old };
    let ids = oldIds;
    let directoryChanged = false;
    for (const id of wanted) {
      const row = found.get(id);
      if (row === undefined) {
        if (old[id] !== undefined) {
          delete byId[id];
          ids = ids.filter((x) => x !== id);
          directoryChanged = true;
        }
        continue;
      }
      const before = old[id];
      byId[id] = row;
      if (before === undefined || before.name !== row.name) {
        // A new (or renamed) store goes where main would list it; the rest keep their places.
        ids = ids.filter((x) => x !== id);
        let lo = 0;
        let hi = ids.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (compareStores(byId[ids[mid]!]!, row) < 0) lo = mid + 1;
          else hi = mid;
        }
        ids = [...ids.slice(0, lo), id, ...ids.slice(lo)];
      }
      if (!sameEntry(before, row)) directoryChanged = true;
    }
    set({ byId, ids, ...(directoryChanged ? { directory: toDirectory(ids, byId) } : {}) });
    const { selectedId } = get();
    if (selectedId !== null && wanted.includes(selectedId) && byId[selectedId] === undefined) set({ selectedId: null, detail: null });
  },
  async select(id) {
    if (id === get().selectedId && get().detail !== null) return;
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
      if (get().selectedId === id) set({ detail: null });
    }
  },
}));
