/**
 * Where the agent is, kept in the address (`#/stores/<id>`, `#/log?outcome=failed`, …) so a reload,
 * in either shell, opens the same screen, store and delivery log filters; the back button works as
 * in a browser app.
 */
import { create } from 'zustand';

export { formatRoute, logFilterToQuery, parseRoute, queryToLogFilter, type Route, type Tab } from './address';
import { formatRoute, parseRoute, type Route } from './address';

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
    if (next.tab !== 'log' || change.tab !== undefined) next.query = change.query ?? {};
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
