import { useEffect, useState } from 'react';
import { AppError } from '../../src-shared/errors';
import { api } from '../api';
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { Delivery } from '../../src-shared/ipc/contract';
import { useDeliveries } from '../state/deliveries';
import { formatTime, prettyJson } from './format';

export function DeliveryLog(): React.JSX.Element {
  useEffect(() => {
    void useDeliveries.getState().setStore(null);
  }, []);
  return (
    <div className="log-view">
      <h2>Delivery log</h2>
      <p className="muted small">Every attempt to send an event to Postscript, newest first. Secrets are masked.</p>
      <DeliveryTable />
    </div>
  );
}

export function DeliveryTable(props: { compact?: boolean }): React.JSX.Element {
  const rows = useDeliveries((s) => s.rows);
  const next = useDeliveries((s) => s.nextBeforeId);
  const loading = useDeliveries((s) => s.loading);
  const selected = useDeliveries((s) => s.selected);
  const open = useDeliveries((s) => s.open);
  const loadMore = useDeliveries((s) => s.loadMore);

  if (rows.length === 0) return <p className="muted">{loading ? 'Loading…' : 'No deliveries yet.'}</p>;
  return (
    <div className="deliveries">
      <table className="table" data-testid="delivery-table">
        <thead>
          <tr>
            <th>When</th>
            {props.compact !== true && <th>Store</th>}
            <th>Event</th>
            <th>Outcome</th>
            <th>Status</th>
            <th className="num">Latency</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.id}
              data-testid="delivery-row"
              className={selected?.id === r.id ? 'selected' : undefined}
              onClick={() => open(selected?.id === r.id ? null : r)}
            >
              <td>{formatTime(r.startedAt)}</td>
              {props.compact !== true && <td>{r.storeName}</td>}
              <td>{findSkioEvent(r.eventKey)?.name ?? r.eventKey}</td>
              <td>
                <span className={`outcome ${r.outcome}`} data-testid="delivery-outcome">
                  {r.outcome.replace('_', ' ')}
                </span>
                {r.willRetry && <span className="muted small"> · retrying</span>}
              </td>
              <td data-testid="delivery-status">{r.responseStatus ?? '—'}</td>
              <td className="num">{r.latencyMs === null ? '—' : `${r.latencyMs} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next !== null && (
        <button type="button" onClick={() => void loadMore()} disabled={loading}>
          Load older
        </button>
      )}
      {selected !== null && <DeliveryDetail row={selected} />}
    </div>
  );
}

function DeliveryDetail(props: { row: Delivery }): React.JSX.Element {
  const r = props.row;
  const [note, setNote] = useState<string | null>(null);
  const resend = (): void => {
    if (r.outboxId === null) return;
    setNote(null);
    api.outbox.resend({ itemId: r.outboxId }).then(
      () => setNote('Queued again as a new event.'),
      (err: unknown) => setNote(err instanceof AppError ? err.message : String(err)),
    );
  };
  return (
    <div className="delivery-detail card" data-testid="delivery-detail">
      <h4>
        {r.requestMethod} {r.requestUrl}
      </h4>
      {r.outboxId !== null && !r.willRetry && (
        <div className="actions">
          {note !== null && <span className="small muted">{note}</span>}
          <button type="button" onClick={resend} data-testid="resend">
            Resend
          </button>
        </div>
      )}
      <p className="small">
        external_id <code>{r.externalId}</code> · attempt {r.attempt}
        {r.errorMessage !== null && (
          <>
            {' '}
            · <span className="fail">{r.errorCode !== null ? `error ${r.errorCode}: ` : ''}{r.errorMessage}</span>
          </>
        )}
      </p>
      <div className="two-col">
        <div>
          <h5>Request</h5>
          <pre data-testid="request-headers">{Object.entries(r.requestHeaders).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
          <pre>{prettyJson(r.requestBody)}</pre>
        </div>
        <div>
          <h5>Response {r.responseStatus ?? ''}</h5>
          <pre data-testid="response-body">{r.responseBody === null ? '(no response)' : prettyJson(r.responseBody)}</pre>
        </div>
      </div>
    </div>
  );
}
