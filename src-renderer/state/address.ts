/**
 * The address of a place in the app, as text and back (pure: no window), so it can be tested on
 * its own: `#/stores/<id>`, `#/stores/new`, `#/log?outcome=failed&status=429`, `#/batches`, ….
 */
import type { LogFilter } from '../../src-shared/ipc/contract';

export type Tab = 'stores' | 'batches' | 'log' | 'skip' | 'sandbox' | 'health' | 'team' | 'settings';
export interface Route {
  tab: Tab;
  /** The open store (stores screen only). */
  storeId: string | null;
  /** The new-store wizard is open (stores screen only). */
  adding: boolean;
  /** The delivery log's filters (log screen only), as the address spells them. */
  query: Record<string, string>;
}

const TABS: readonly Tab[] = ['stores', 'batches', 'log', 'skip', 'sandbox', 'health', 'team', 'settings'];

export function parseRoute(hash: string): Route {
  const [where = '', search = ''] = hash.split('?', 2);
  const parts = where.replace(/^#\/?/, '').split('/').filter((p) => p !== '').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const tab = TABS.find((t) => t === parts[0]) ?? 'stores';
  if (tab === 'log') return { tab, storeId: null, adding: false, query: Object.fromEntries(new URLSearchParams(search)) };
  if (tab !== 'stores') return { tab, storeId: null, adding: false, query: {} };
  if (parts[1] === 'new') return { tab, storeId: null, adding: true, query: {} };
  return { tab, storeId: parts[1] ?? null, adding: false, query: {} };
}

export function formatRoute(r: Route): string {
  if (r.tab === 'log') {
    const search = new URLSearchParams(r.query).toString();
    return search === '' ? '#/log' : `#/log?${search}`;
  }
  if (r.tab !== 'stores') return `#/${r.tab}`;
  if (r.adding) return '#/stores/new';
  return r.storeId === null ? '#/stores' : `#/stores/${encodeURIComponent(r.storeId)}`;
}

const TEXT_KEYS = ['storeId', 'eventKey', 'outcome', 'batchId', 'agent', 'from', 'to', 'q'] as const;
const OUTCOMES: ReadonlySet<string> = new Set(['delivered', 'failed', 'rate_limited', 'uncertain']);

/** The log's filters as the address keeps them. */
export function logFilterToQuery(f: LogFilter): Record<string, string> {
  const q: Record<string, string> = {};
  for (const k of TEXT_KEYS) if (f[k] !== undefined) q[k] = f[k];
  if (f.status !== undefined) q.status = String(f.status);
  return q;
}

/** The log's filters from the address; a value the log would refuse (typed by hand) is left out. */
export function queryToLogFilter(q: Record<string, string>): LogFilter {
  const f: LogFilter = {};
  for (const k of TEXT_KEYS) {
    const v = q[k];
    if (v === undefined || v === '' || v.length > 200) continue;
    if (k === 'outcome') {
      if (OUTCOMES.has(v)) f.outcome = v as LogFilter['outcome'];
    } else if (k === 'from' || k === 'to') {
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) f[k] = v;
    } else if (k === 'q') {
      if (v.trim().length >= 3) f.q = v.trim();
    } else {
      f[k] = v;
    }
  }
  const status = Number(q.status);
  if (Number.isInteger(status) && status >= 100 && status <= 599) f.status = status;
  return f;
}
