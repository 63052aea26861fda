import { useEffect, useState } from 'react';
import type { StoreSummary, WizardDraft } from '../../src-shared/ipc/contract';
import { api } from '../api';
import { needsAttention, useStoreHealth } from '../state/storeHealth';
import { useStores } from '../state/stores';
import { HealthBadge } from './golive/HealthBadge';
import { HealthWatchBar } from './golive/HealthWatchBar';
import { NewStoreWizard } from './NewStoreWizard';
import { StoreDetailView } from './store/StoreDetailView';

export function StoresView(): React.JSX.Element {
  const list = useStores((s) => s.list);
  const selectedId = useStores((s) => s.selectedId);
  const select = useStores((s) => s.select);
  const [adding, setAdding] = useState(false);
  const [query, setQuery] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const [draft, setDraft] = useState<WizardDraft | null>(null);
  const attentionOnly = useStoreHealth((s) => s.attentionOnly);
  const health = useStoreHealth((s) => s.byStore);

  // A new-store wizard left half-way (even across a restart) is offered again.
  useEffect(() => {
    if (!adding) void api.wizard.getDraft({}).then(setDraft);
  }, [adding]);

  const q = query.trim().toLowerCase();
  const shown = list.filter((s) => (showArchived || !s.archived) && (!attentionOnly || needsAttention(health[s.id]?.status)) && (q === '' || `${s.name} ${s.shopDomain} ${s.postscriptShopName ?? ''}`.toLowerCase().includes(q)));
  const archivedCount = list.filter((s) => s.archived).length;

  return (
    <div className="split">
      <section className="list-pane" aria-label="Stores">
        <div className="pane-header">
          <h2>Stores</h2>
          <button
            type="button"
            className="primary"
            onClick={() => {
              setAdding(true);
              void select(null);
            }}
          >
            Add store
          </button>
        </div>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search stores" aria-label="Search stores" className="search" data-testid="store-search" />
        <HealthWatchBar />
        {draft !== null && !adding && (
          <button type="button" className="store-item draft" onClick={() => setAdding(true)} data-testid="resume-draft">
            <span className="store-name">{draft.name === '' ? 'New store' : draft.name}</span>
            <span className="small warning-text">Setup not finished: continue</span>
          </button>
        )}
        {list.length === 0 && draft === null ? (
          <p className="muted">No stores yet. Add the merchant’s store to start the setup.</p>
        ) : (
          <ul className="store-list">
            {shown.map((s) => (
              <li key={s.id}>
                <StoreItem store={s} active={s.id === selectedId} onOpen={() => {
                  setAdding(false);
                  void select(s.id);
                }} />
              </li>
            ))}
          </ul>
        )}
        {archivedCount > 0 && (
          <label className="inline small muted">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} data-testid="show-archived" /> Show {archivedCount} archived
          </label>
        )}
      </section>
      <section className="detail-pane">
        {adding ? (
          <NewStoreWizard
            onCancel={() => setAdding(false)}
            onCreated={(id) => {
              setAdding(false);
              setDraft(null);
              void select(id);
            }}
          />
        ) : selectedId !== null ? (
          <StoreDetailView />
        ) : (
          <p className="muted empty">Select a store, or add one.</p>
        )}
      </section>
    </div>
  );
}

function StoreItem(props: { store: StoreSummary; active: boolean; onOpen: () => void }): React.JSX.Element {
  const s = props.store;
  const problems: string[] = [];
  if (s.keyStatus === 'invalid') problems.push('key refused');
  if (s.testUserStatus === 'not_found') problems.push('test user missing');
  if (s.testUserStatus === 'no_transactional') problems.push('test user not opted in');
  return (
    <button type="button" data-testid="store-item" className={props.active ? 'store-item active' : 'store-item'} onClick={props.onOpen}>
      <span className="store-name">
        {s.name} {s.archived && <span className="badge archived">Archived</span>} <HealthBadge storeId={s.id} />
      </span>
      <span className="muted small">{s.shopDomain}</span>
      <span className="small">
        <span className={`badge ${s.account}`}>{s.account === 'sandbox' ? 'Sandbox' : 'Live'}</span>{' '}
        {s.setupComplete ? (
          <span className="ok" data-testid="store-progress">
            ✓ set up · {s.enabledEvents} events
          </span>
        ) : (
          <span data-testid="store-progress">{s.enabledEvents === 0 ? 'no events on yet' : `${s.testedEvents} of ${s.enabledEvents} events sent`}</span>
        )}
      </span>
      {problems.length > 0 && <span className="small fail">{problems.join(' · ')}</span>}
    </button>
  );
}
