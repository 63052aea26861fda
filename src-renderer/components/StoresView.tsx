import { useState } from 'react';
import { useStores } from '../state/stores';
import { AddStoreForm } from './AddStoreForm';
import { StoreDetailView } from './StoreDetail';

export function StoresView(): React.JSX.Element {
  const list = useStores((s) => s.list);
  const selectedId = useStores((s) => s.selectedId);
  const select = useStores((s) => s.select);
  const [adding, setAdding] = useState(false);

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
        {list.length === 0 ? (
          <p className="muted">No stores yet. Add the merchant’s store to start the setup.</p>
        ) : (
          <ul className="store-list">
            {list.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  data-testid="store-item"
                  className={s.id === selectedId ? 'store-item active' : 'store-item'}
                  onClick={() => {
                    setAdding(false);
                    void select(s.id);
                  }}
                >
                  <span className="store-name">{s.name}</span>
                  <span className="muted small">{s.shopDomain}</span>
                  <span className="small">
                    <span className={`badge ${s.account}`}>{s.account === 'sandbox' ? 'Sandbox' : 'Live'}</span> {s.enabledEvents} of 11 events on
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="detail-pane">
        {adding ? (
          <AddStoreForm
            onCancel={() => setAdding(false)}
            onCreated={(id) => {
              setAdding(false);
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
