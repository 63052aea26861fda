/**
 * Where the agent is, kept in the address (`#/stores/<id>`, `#/log`, …) so a reload, in either
 * shell, opens the same screen and store; the back button works as in a browser app.
 */
import { create } from 'zustand';

export type Tab = 'stores' | 'batches' | 'log' | 'skip' | 'sandbox' | 'health' | 'team' | 'settings';
export interface Route {
  tab: Tab;
  /** The open store (stores screen only). */
  storeId: string | null;
  /** The new-store wizard is open (stores screen only). */
  adding: boolean;
}

const TABS: readonly Tab[] = ['stores', 'batches', 'log', 'skip', 'sandbox', 'health', 'team', 'settings'];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const tab = TABS.find((t) => t === parts[0]) ?? 'stores';
  if (tab !== 'stores') return { tab, storeId: null, adding: false };
  if (parts[1] === 'new') return { tab, storeId: null, adding: true };
  return { tab, storeId: parts[1] ?? null, adding: false };
}

export function formatRoute(r: Route): string {
  if (r.tab !== 'stores') return `#/${r.tab}`;
  if (r.adding) return '#/stores/new';
  return r.storeId === null ? '#/stores' : `#/stores/${encodeURIComponent(r.storeId)}`;
}

interface RouteState {
  route: Route;
  /** Moves there (a new history entry); `replace` rewrites the current one instead. */
  go(change: Partial<Route>, options?: { replace?: boolean }): void;
}

export const useRoute = create<RouteState>((set, get) => ({
  route: parseRoute(window.location.hash),
  go(change, options) {
    const next: Route = { ...get().route, ...change };
    if (next.tab !== 'stores') {
      next.storeId = null;
      next.adding = false;
    }
    if (next.adding) next.storeId = null;
    const hash = formatRoute(next);
    set({ route: next });
    if (hash === window.location.hash) return;
    if (options?.replace === true) window.history.replaceState(null, '', hash);
    else window.history.pushState(null, '', hash);
  },
}));

window.addEventListener('hashchange', () => useRoute.setState({ route: parseRoute(window.location.hash) }));
window.addEventListener('popstate', () => useRoute.setState({ route: parseRoute(window.location.hash) }));
