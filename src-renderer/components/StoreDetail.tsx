import { useEffect, useState } from 'react';
import { AppError } from '../../src-shared/errors';
import { findSkioEvent, postscriptDisplayName } from '../../src-shared/events/catalog';
import type { StoreDetail, TriggerState } from '../../src-shared/ipc/contract';
import { api } from '../api';
import { useDeliveries } from '../state/deliveries';
import { useStores } from '../state/stores';
import { DeliveryTable } from './DeliveryLog';
import { formatTime } from './format';

export function StoreDetailView(): React.JSX.Element {
  const detail = useStores((s) => s.detail);
  const selectedId = useStores((s) => s.selectedId);

  useEffect(() => {
    void useDeliveries.getState().setStore(selectedId);
  }, [selectedId]);

  if (detail === null) return <p className="muted">Loading…</p>;
  return (
    <div className="store-detail" data-testid="store-detail">
      <header className="card">
        <h2 data-testid="store-title">{detail.name}</h2>
        <dl className="facts">
          <dt>Shop</dt>
          <dd>{detail.shopDomain}</dd>
          <dt>Account</dt>
          <dd>
            <span className={`badge ${detail.account}`}>{detail.account === 'sandbox' ? 'Sandbox' : 'Live Postscript'}</span>
          </dd>
          <dt>Postscript shop</dt>
          <dd data-testid="postscript-shop-name">{detail.postscriptShopName ?? '—'}</dd>
          <dt>API key</dt>
          <dd>
            <code data-testid="key-mask">{detail.keyMask ?? 'none'}</code>
            {detail.keyValidatedAt !== null && <span className="muted small"> validated {formatTime(detail.keyValidatedAt)}</span>}
          </dd>
          <dt>Test Event User</dt>
          <dd>{detail.testPhone ?? <span className="warning-text">not set: test sends need one</span>}</dd>
        </dl>
      </header>
      <section className="card" aria-label="Event triggers">
        <div className="pane-header">
          <h3>Event triggers</h3>
          <SendAllButton store={detail} />
        </div>
        <p className="muted small">Turn on the events the merchant wants in Postscript flows, then send a test for each so it appears in Postscript’s flow builder.</p>
        <ul className="triggers">
          {detail.triggers.map((t) => (
            <TriggerRow key={t.eventKey} store={detail} trigger={t} />
          ))}
        </ul>
      </section>
      <section className="card" aria-label="Recent deliveries">
        <h3>Recent deliveries</h3>
        <DeliveryTable compact />
      </section>
    </div>
  );
}

function TriggerRow(props: { store: StoreDetail; trigger: TriggerState }): React.JSX.Element {
  const { store, trigger } = props;
  const event = findSkioEvent(trigger.eventKey);
  const [busy, setBusy] = useState<'toggle' | 'send' | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Shown at once while main saves it; cleared when the saved state has been refetched.
  const [pendingEnabled, setPendingEnabled] = useState<boolean | null>(null);
  if (event === undefined) return <></>;
  const enabled = pendingEnabled ?? trigger.enabled;

  async function run(kind: 'toggle' | 'send', action: () => Promise<unknown>): Promise<void> {
    setBusy(kind);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err instanceof AppError ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  const status = trigger.pending > 0 ? (
    <span className="muted">queued</span>
  ) : trigger.lastOutcome === null ? (
    <span className="muted">never sent</span>
  ) : trigger.lastOutcome === 'delivered' ? (
    <span className="ok">sent {trigger.lastSuccessAt === null ? '' : formatTime(trigger.lastSuccessAt)}</span>
  ) : (
    <span className="fail">
      {trigger.lastOutcome.replace('_', ' ')}: {trigger.lastError}
    </span>
  );

  return (
    <li className={enabled ? 'trigger on' : 'trigger'} data-testid={`trigger-${event.key}`}>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={enabled}
          disabled={busy !== null}
          aria-label={`Send ${event.name} to Postscript`}
          data-testid={`toggle-${event.key}`}
          onChange={(e) => {
            const next = e.target.checked;
            setPendingEnabled(next);
            void run('toggle', async () => {
              try {
                await api.triggers.set({ storeId: store.id, eventKey: event.key, enabled: next });
                await useStores.getState().refreshDetail();
              } finally {
                setPendingEnabled(null);
              }
            });
          }}
        />
        <span className="switch-track" aria-hidden="true" />
      </label>
      <div className="trigger-text">
        <div className="trigger-name">{event.name}</div>
        <div className="muted small">{event.description}</div>
        <div className="small">
          In Postscript: <code>{postscriptDisplayName(store.postscriptShopName ?? store.name, event.postscriptType)}</code>
        </div>
      </div>
      <div className="trigger-status small" data-testid={`status-${event.key}`}>
        {enabled ? status : <span className="muted">off</span>}
        {error !== null && (
          <div className="fail" role="alert">
            {error}
          </div>
        )}
      </div>
      <button
        type="button"
        disabled={!enabled || busy !== null}
        data-testid={`send-test-${event.key}`}
        onClick={() => void run('send', () => api.tests.send({ storeId: store.id, eventKey: event.key }))}
      >
        {busy === 'send' ? 'Sending…' : 'Send test'}
      </button>
    </li>
  );
}

function SendAllButton(props: { store: StoreDetail }): React.JSX.Element {
  const [note, setNote] = useState<string | null>(null);
  const enabled = props.store.triggers.filter((t) => t.enabled).length;
  return (
    <div className="actions">
      {note !== null && <span className="small muted">{note}</span>}
      <button
        type="button"
        disabled={enabled === 0}
        data-testid="send-all"
        onClick={() => {
          setNote(null);
          api.tests.sendAll({ storeId: props.store.id }).then(
            (r) => setNote(`${r.queued} test${r.queued === 1 ? '' : 's'} queued`),
            (err: unknown) => setNote(err instanceof AppError ? err.message : String(err)),
          );
        }}
      >
        Send all enabled ({enabled})
      </button>
    </div>
  );
}
