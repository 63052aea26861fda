/**
 * The delivery log: filters and search, a virtualized table that pages by key as it scrolls (it
 * holds a million rows without slowing down), the detail of one attempt, resend and export.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { AppError } from '../../src-shared/errors';
import { findSkioEvent, SKIO_EVENTS } from '../../src-shared/events/catalog';
import type { Delivery, LogFilter, LogRow, PushPayload } from '../../src-shared/ipc/contract';
import { api } from '../api';
import { useDeliveries } from '../state/deliveries';
import { useOutbox } from '../state/outbox';
import { useStores } from '../state/stores';
import { DeliveryOverview } from './DeliveryOverview';
import { formatTime, prettyJson } from './format';

const ROW_HEIGHT = 34;

export function DeliveryLog(): React.JSX.Element {
  useEffect(() => {
    void useDeliveries.getState().setFilter({});
  }, []);
  return (
    <div className="log-view">
      <h2>Delivery log</h2>
      <p className="muted small">Every attempt to send an event to Postscript, newest first. Secrets are masked.</p>
      <DeliveryOverview />
      <LogFilters />
      <DeliveryTable />
    </div>
  );
}

function LogFilters(): React.JSX.Element {
  const filter = useDeliveries((s) => s.filter);
  const setFilter = useDeliveries((s) => s.setFilter);
  const stores = useStores((s) => s.list);
  const batches = useOutbox((s) => s.batches);
  const [q, setQ] = useState(filter.q ?? '');
  const [note, setNote] = useState<string | null>(null);
  // Progress is kept per job: a quick export can finish before its start call has even returned.
  const [jobId, setJobId] = useState<string | null>(null);
  const [jobs, setJobs] = useState<Record<string, PushPayload<'progress'>>>({});
  const job = jobId === null ? undefined : jobs[jobId];
  const exportState =
    jobId === null
      ? null
      : job === undefined
        ? 'Exporting…'
        : job.error !== undefined
          ? job.error
          : job.finished
            ? `Exported ${job.done.toLocaleString()} rows to ${job.path ?? ''}`
            : `Exporting… ${job.done.toLocaleString()} rows`;

  // Search as the agent types, a moment after they stop.
  useEffect(() => {
    const t = setTimeout(() => {
      const query = q.trim();
      if (query.length > 0 && query.length < 3) return;
      if ((filter.q ?? '') === query) return;
      const { q: _old, ...rest } = filter;
      void setFilter(query === '' ? rest : { ...rest, q: query });
    }, 300);
    return () => clearTimeout(t);
  }, [q, filter, setFilter]);

  useEffect(
    () =>
      api.on('progress', (p) => {
        if (p.kind === 'export') setJobs((all) => ({ ...all, [p.jobId]: p }));
      }),
    [],
  );
  const startExport = (format: 'csv' | 'json'): void => {
    setNote(null);
    api.deliveries.export({ filter, format }).then(
      (r) => setJobId(r.jobId),
      (err: unknown) => setNote(err instanceof AppError ? err.message : String(err)),
    );
  };

  const change = (key: keyof LogFilter, value: string): void => {
    const next: LogFilter = { ...filter };
    if (value === '') delete next[key];
    else if (key === 'status') next.status = Number(value);
    else if (key === 'from' || key === 'to') next[key] = new Date(value).toISOString();
    else (next as Record<string, string>)[key] = value;
    void setFilter(next);
  };
  const local = (iso: string | undefined): string => (iso === undefined ? '' : new Date(new Date(iso).getTime() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16));

  return (
    <div className="card log-filters" aria-label="Filters">
      <div className="filter-grid">
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search: a phone (any format), an external_id or its start, or words of an error" aria-label="Search the log" data-testid="log-search" />
        <select value={filter.storeId ?? ''} onChange={(e) => change('storeId', e.target.value)} aria-label="Store" data-testid="filter-store">
          <option value="">All stores</option>
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <select value={filter.eventKey ?? ''} onChange={(e) => change('eventKey', e.target.value)} aria-label="Event" data-testid="filter-event">
          <option value="">All events</option>
          {SKIO_EVENTS.map((e) => (
            <option key={e.key} value={e.key}>
              {e.name}
            </option>
          ))}
        </select>
        <select value={filter.outcome ?? ''} onChange={(e) => change('outcome', e.target.value)} aria-label="Outcome" data-testid="filter-outcome">
          <option value="">All outcomes</option>
          <option value="delivered">delivered</option>
          <option value="failed">failed</option>
          <option value="rate_limited">rate limited</option>
          <option value="uncertain">uncertain</option>
        </select>
        <input type="number" min={100} max={599} value={filter.status ?? ''} onChange={(e) => change('status', e.target.value)} placeholder="HTTP status" aria-label="HTTP status" data-testid="filter-status" />
        <select value={filter.batchId ?? ''} onChange={(e) => change('batchId', e.target.value)} aria-label="Batch">
          <option value="">Any batch</option>
          {batches.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
        <label className="inline small">
          From <input type="datetime-local" value={local(filter.from)} onChange={(e) => change('from', e.target.value)} aria-label="From" />
        </label>
        <label className="inline small">
          To <input type="datetime-local" value={local(filter.to)} onChange={(e) => change('to', e.target.value)} aria-label="To" />
        </label>
      </div>
      <div className="actions">
        {note !== null && <span className="small muted" role="status">{note}</span>}
        {exportState !== null && (
          <span className="small muted" role="status" data-testid="export-status">
            {exportState}
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={() => {
          setQ('');
          void setFilter({});
        }}>
          Clear filters
        </button>
        <button
          type="button"
          data-testid="resend-filtered"
          onClick={() => {
            if (!window.confirm('Send the events of every attempt this filter shows again, as new events? Each may text the Test Event User.')) return;
            setNote(null);
            api.deliveries.resend({ filter }).then(
              (r) => setNote(`${r.queued} queued again${r.skipped > 0 ? `, ${r.skipped} skipped` : ''}.`),
              (err: unknown) => setNote(err instanceof AppError ? err.message : String(err)),
            );
          }}
        >
          Resend filtered
        </button>
        <button type="button" data-testid="export-csv" onClick={() => startExport('csv')}>
          Export CSV
        </button>
        <button type="button" data-testid="export-json" onClick={() => startExport('json')}>
          Export JSON
        </button>
      </div>
    </div>
  );
}

export function DeliveryTable(props: { compact?: boolean }): React.JSX.Element {
  const rows = useDeliveries((s) => s.rows);
  const next = useDeliveries((s) => s.nextBeforeId);
  const loading = useDeliveries((s) => s.loading);
  const error = useDeliveries((s) => s.error);
  const selectedId = useDeliveries((s) => s.selectedId);
  const select = useDeliveries((s) => s.select);
  const loadMore = useDeliveries((s) => s.loadMore);
  const scroller = useRef<HTMLDivElement>(null);

  // The virtualizer keeps its own state between renders; React Compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length + (next !== null ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  // Near the end of what is loaded: fetch the next page (by key).
  useEffect(() => {
    if (last !== undefined && last.index >= rows.length - 20 && next !== null && !loading) void loadMore();
  }, [last, rows.length, next, loading, loadMore]);

  if (error !== null) return <p className="banner error" role="alert">{error}</p>;
  if (rows.length === 0) return <p className="muted">{loading ? 'Loading…' : 'No attempts match.'}</p>;
  const cols = props.compact === true ? 'compact' : 'full';
  return (
    <div className="deliveries">
      <div className={`vt-head ${cols}`} role="row">
        <span>When</span>
        {props.compact !== true && <span>Store</span>}
        <span>Event</span>
        <span>Outcome</span>
        <span>Status</span>
        <span className="num">Latency</span>
      </div>
      <div ref={scroller} className={props.compact === true ? 'vt-body short' : 'vt-body'} data-testid="delivery-table" role="table">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const r = rows[v.index];
            return r === undefined ? (
              <div key="more" className="vt-row muted" style={{ transform: `translateY(${v.start}px)` }}>
                Loading older attempts…
              </div>
            ) : (
              <Row key={r.id} row={r} compact={props.compact === true} start={v.start} selected={selectedId === r.id} onClick={() => select(selectedId === r.id ? null : r.id)} />
            );
          })}
        </div>
      </div>
      {/* Keyed by row: a new selection starts with fresh state. */}
      {selectedId !== null && <DeliveryDetail key={selectedId} id={selectedId} />}
    </div>
  );
}

function Row(props: { row: LogRow; compact: boolean; start: number; selected: boolean; onClick: () => void }): React.JSX.Element {
  const r = props.row;
  return (
    <div
      className={`vt-row ${props.compact ? 'compact' : 'full'}${props.selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${props.start}px)` }}
      data-testid="delivery-row"
      role="row"
      tabIndex={0}
      onClick={props.onClick}
      onKeyDown={(e) => {
        if (e.key === 'Enter') props.onClick();
      }}
    >
      <span>{formatTime(r.startedAt)}</span>
      {!props.compact && <span>{r.storeName}</span>}
      <span>{findSkioEvent(r.eventKey)?.name ?? r.eventKey}</span>
      <span>
        <span className={`outcome ${r.outcome}`} data-testid="delivery-outcome">
          {r.outcome.replace('_', ' ')}
        </span>
        {r.willRetry && <span className="muted small"> · retrying</span>}
      </span>
      <span data-testid="delivery-status">{r.responseStatus ?? '—'}</span>
      <span className="num">{r.latencyMs === null ? '—' : `${r.latencyMs} ms`}</span>
    </div>
  );
}

function DeliveryDetail(props: { id: number }): React.JSX.Element {
  const [d, setD] = useState<(Delivery & { curl: string }) | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.deliveries.get({ id: props.id }).then(
      (x) => live && setD(x),
      (err: unknown) => live && setNote(err instanceof AppError ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [props.id]);
  if (d === null) return <div className="delivery-detail card">{note ?? 'Loading…'}</div>;
  return (
    <div className="delivery-detail card" data-testid="delivery-detail">
      <div className="pane-header">
        <h4>
          {d.requestMethod} {d.requestUrl}
        </h4>
        <div className="actions">
          {note !== null && <span className="small muted" role="status">{note}</span>}
          <button type="button" data-testid="copy-curl" onClick={() => void navigator.clipboard.writeText(d.curl).then(() => setNote('curl copied'), () => setNote('Copy failed: select the command below.'))}>
            Copy curl
          </button>
          {d.outboxId !== null && !d.willRetry && (
            <button
              type="button"
              data-testid="resend"
              onClick={() =>
                api.outbox.resend({ itemId: d.outboxId! }).then(
                  () => setNote('Queued again as a new event.'),
                  (err: unknown) => setNote(err instanceof AppError ? err.message : String(err)),
                )
              }
            >
              Resend
            </button>
          )}
        </div>
      </div>
      <p className="small">
        {d.storeName} · {findSkioEvent(d.eventKey)?.name ?? d.eventKey} · external_id <code>{d.externalId}</code> · attempt {d.attempt} · {formatTime(d.startedAt)}
        {d.latencyMs !== null && ` · ${d.latencyMs} ms`}
        {d.errorMessage !== null && (
          <>
            {' '}
            · <span className="fail">{d.errorCode !== null ? `error ${d.errorCode}: ` : ''}{d.errorMessage}</span>
          </>
        )}
      </p>
      <div className="two-col">
        <div>
          <h5>Request</h5>
          <pre data-testid="request-headers">{Object.entries(d.requestHeaders).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
          <pre data-testid="request-body">{prettyJson(d.requestBody)}</pre>
        </div>
        <div>
          <h5>Response {d.responseStatus ?? ''}</h5>
          <pre data-testid="response-body">{d.responseBody === null ? '(no response)' : prettyJson(d.responseBody)}</pre>
          <h5>curl</h5>
          <pre data-testid="curl">{d.curl}</pre>
        </div>
      </div>
    </div>
  );
}
