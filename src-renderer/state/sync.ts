/**
 * Main announces what changed; the stores that show it refetch. Announcements are gathered for a
 * moment and applied together, one refetch at a time, so a batch of thousands of sends costs the
 * page a few small fetches a second; and a change to some stores refetches only their rows.
 */
import type { PushPayload, Topic } from '../../src-shared/ipc/contract';
import { api } from '../api';
import { useDeliveries } from './deliveries';
import { useDraft } from './draft';
import { useOutbox } from './outbox';
import { useSandbox } from './sandbox';
import { useTeam } from './team';
import { useSettings } from './settings';
import { useStores } from './stores';

/** How long announcements are gathered before they are applied. */
const GATHER_MS = 100;

interface Pending {
  topics: Set<Topic>;
  /** Store rows to refetch, or 'all' when an announcement did not say which. */
  rows: Set<string> | 'all';
  /** Stores whose detail may have changed, or 'all'. */
  details: Set<string> | 'all';
}

const empty = (): Pending => ({ topics: new Set(), rows: new Set(), details: new Set() });

export function merge(p: Pending, change: PushPayload<'changed'>): void {
  for (const t of change.topics) p.topics.add(t);
  const ids = change.storeIds ?? (change.storeId !== undefined ? [change.storeId] : undefined);
  // A SKIP changes a store's go-live checks, which its row in the list sums up.
  if (change.topics.includes('stores') || change.topics.includes('skip')) {
    if (ids === undefined) p.rows = 'all';
    else if (p.rows !== 'all') for (const id of ids) p.rows.add(id);
  }
  if (change.topics.includes('stores') || change.topics.includes('triggers')) {
    if (ids === undefined) p.details = 'all';
    else if (p.details !== 'all') for (const id of ids) p.details.add(id);
  }
}

async function apply(p: Pending): Promise<void> {
  const stores = useStores.getState();
  const work: Array<Promise<unknown>> = [];
  if (p.rows === 'all') work.push(stores.refresh());
  else if (p.rows.size > 0) work.push(stores.refreshRows([...p.rows]));
  if (stores.selectedId !== null && (p.details === 'all' || p.details.has(stores.selectedId))) work.push(stores.refreshDetail());
  if (p.topics.has('deliveries')) work.push(useDeliveries.getState().refreshIfShown());
  if (p.topics.has('sandbox')) work.push(useSandbox.getState().refresh());
  if (p.topics.has('outbox')) work.push(useOutbox.getState().refreshStatus());
  if (p.topics.has('batches')) work.push(useOutbox.getState().refreshBatches());
  if (p.topics.has('draft')) work.push(useDraft.getState().refresh());
  if (p.topics.has('team')) work.push(useTeam.getState().refresh());
  if (p.topics.has('team') || p.topics.has('stores')) work.push(useTeam.getState().refreshActivity());
  if (p.topics.has('settings') && useSettings.getState().view !== null) work.push(useSettings.getState().refresh());
  await Promise.allSettled(work);
}

export function startSync(): () => void {
  let pending = empty();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let stopped = false;
  const schedule = (): void => {
    if (timer !== null || running || stopped) return;
    timer = setTimeout(() => {
      timer = null;
      const now = pending;
      pending = empty();
      running = true;
      void apply(now).finally(() => {
        running = false;
        // What arrived while this was fetching is applied next, still one round at a time.
        if (pending.topics.size > 0) schedule();
      });
    }, GATHER_MS);
  };
  const off = api.on('changed', (change) => {
    merge(pending, change);
    schedule();
  });
  return () => {
    stopped = true;
    off();
    if (timer !== null) clearTimeout(timer);
  };
}
