import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useDraft } from '../state/draft';
import { useRoute } from '../state/route';
import { needsAttention, useStoreHealth } from '../state/storeHealth';
import { setupProgressText, setupState } from '../../src-shared/rules/setupState';
import { useStores } from '../state/stores';
import { isActiveStore } from '../../src-shared/rules/activeStores';
import { HealthBadge } from './golive/HealthBadge';
import { HealthWatchBar } from './golive/HealthWatchBar';
import { NewStoreWizard } from './NewStoreWizard';
import { StoreTeamLine } from './settings/StoreTeamLine';
import { useTeam } from '../state/team';
import { StoreDetailView } from './store/StoreDetailView';

/** A store entry's usual height with its gap; entries with a problem line are measured. */
const ENTRY_HEIGHT = 84;

export function StoresView(): React.JSX.Element {
  const route = useRoute((s) => s.route);
  const go = useRoute((s) => s.go);
  const directory = useStores((s) => s.directory);
  const loaded = useStores((s) => s.loaded);
  const known = useStores((s) => (route.storeId === null ? false : s.byId[route.storeId] !== undefined));
  const draft = useDraft((s) => s.draft);
  const [query, setQuery] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const adding = route.adding;
  const open = useCallback((id: string) => go({ storeId: id, adding: false }), [go]);
  const selectedId = route.storeId;
  const attentionOnly = useStoreHealth((s) => s.attentionOnly);
  const health = useStoreHealth((s) => s.byStore);
  const [mineOnly, setMineOnly] = useState(false);
  const teamOn = useTeam((s) => s.status?.configured === true);
  const activity = useTeam((s) => s.activity);

  // The address says which store is open. One the list does not have yet (just created) is fetched;
  // one that no longer exists sends the agent to the list.
  useEffect(() => {
    void useStores.getState().select(selectedId);
    if (selectedId === null || !loaded || known) return;
    void useStores
      .getState()
      .refreshRows([selectedId])
      .then(() => {
        if (useStores.getState().byId[selectedId] === undefined && useRoute.getState().route.storeId === selectedId) go({ storeId: null }, { replace: true });
      });
  }, [selectedId, loaded, known, go]);
  // Leaving the wizard saves what was typed; the draft card then offers it.
  useEffect(() => {
    if (!adding) void useDraft.getState().refresh();
  }, [adding]);

  const q = query.trim().toLowerCase();
  const shown = useMemo(
    () =>
      directory.filter(
        (s) => (showArchived || isActiveStore(s)) && (!teamOn || !mineOnly || activity[s.id]?.createdByMe !== false) && (!attentionOnly || needsAttention(health[s.id]?.status)) && (q === '' || `${s.name} ${s.shopDomain}`.toLowerCase().includes(q)),
      ),
    [directory, showArchived, q, attentionOnly, health, teamOn, mineOnly, activity],
  );
  const archivedCount = useMemo(() => directory.filter((s) => s.archived).length, [directory]);

  return (
    <div className="split">
      <section className="list-pane" aria-label="Stores">
        <div className="pane-header">
          <h2>Stores</h2>
          <button type="button" className="primary" onClick={() => go({ adding: true })}>
            Add store
          </button>
        </div>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search stores" aria-label="Search stores" className="search" data-testid="store-search" />
        <HealthWatchBar />
        {teamOn && (
          <label className="inline small muted">
            <input type="checkbox" checked={mineOnly} onChange={(e) => setMineOnly(e.target.checked)} data-testid="stores-mine" /> Only stores I set up
          </label>
        )}
        {draft !== null && !adding && (
          <button type="button" className="store-item draft" onClick={() => go({ adding: true })} data-testid="resume-draft">
            <span className="store-name">{draft.name === '' ? 'New store' : draft.name}</span>
            <span className="small warning-text">Setup not finished: continue</span>
          </button>
        )}
        {directory.length === 0 && draft === null ? (
          <p className="muted">No stores yet. Add the merchant’s store to start the setup.</p>
        ) : (
          <StoreList ids={shown.map((s) => s.id)} selectedId={selectedId} onOpen={open} />
        )}
        {archivedCount > 0 && (
          <label className="inline small muted">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} data-testid="show-archived" /> Show {archivedCount} archived
          </label>
        )}
      </section>
      <section className="detail-pane">
        {adding ? (
          <NewStoreWizard onCancel={() => go({ adding: false })} onOpenStore={open} onCreated={(id) => go({ storeId: id, adding: false }, { replace: true })} />
        ) : selectedId !== null ? (
          <StoreDetailView />
        ) : (
          <p className="muted empty">Select a store, or add one.</p>
        )}
      </section>
    </div>
  );
}

/** Virtualized: only the entries in view exist in the page, whether there are ten stores or ten thousand. */
function StoreList(props: { ids: string[]; selectedId: string | null; onOpen: (id: string) => void }): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  // The virtualizer keeps its own state between renders; React Compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: props.ids.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ENTRY_HEIGHT,
    getItemKey: (i) => props.ids[i]!,
    overscan: 6,
  });
  return (
    <div ref={scroller} className="store-scroller" data-testid="store-list">
      <ul className="store-list" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => {
          const id = props.ids[v.index]!;
          return (
            <li key={id} data-index={v.index} ref={virtualizer.measureElement} style={{ transform: `translateY(${v.start}px)` }}>
              <StoreItem id={id} active={id === props.selectedId} onOpen={props.onOpen} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** One entry; it redraws only when its own store changes. */
const StoreItem = memo(function StoreItem(props: { id: string; active: boolean; onOpen: (id: string) => void }): React.JSX.Element | null {
  const s = useStores((st) => st.byId[props.id]);
  if (s === undefined) return null;
  const problems: string[] = [];
  if (s.keyStatus === 'invalid') problems.push('key refused');
  if (s.keyStatus === 'locked') problems.push('key locked: passphrase needed');
  else if ((s.cannotSend ?? null) !== null) problems.push('cannot send from here');
  if (s.testUserStatus === 'not_found') problems.push('test user missing');
  if (s.testUserStatus === 'no_transactional') problems.push('test user not opted in');
  if (s.keyword === null) problems.push('keyword not set yet');
  return (
    <button type="button" data-testid="store-item" data-store-id={s.id} className={props.active ? 'store-item active' : 'store-item'} aria-current={props.active ? 'true' : undefined} onClick={() => props.onOpen(s.id)}>
      <span className="store-name" title={s.name}>
        {s.name} {s.archived && <span className="badge archived">Archived</span>} <HealthBadge storeId={s.id} />
      </span>
      <span className="muted small cut" title={s.shopDomain}>
        {s.shopDomain}
      </span>
      <span className="small">
        <span className={`badge ${s.account}`}>{s.account === 'sandbox' ? 'Sandbox' : 'Live'}</span>{' '}
        <span className={setupState(s, s.goLive).kind === 'complete' ? 'ok' : undefined} data-testid="store-progress" data-state={setupState(s, s.goLive).kind}>
          {setupProgressText(s, s.goLive)}
        </span>
      </span>
      {problems.length > 0 && <span className="small fail">{problems.join(' · ')}</span>}
      <StoreTeamLine storeId={s.id} />
    </button>
  );
});
