/**
 * The delivery table: virtualized, paging by key as it scrolls (it holds a million rows without
 * slowing down), and the detail of one attempt. The log screen and each store's page show it.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { AppError } from '../../src-shared/errors';
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { Delivery, LogRow } from '../../src-shared/ipc/contract';
import { api } from '../api';
import { useDeliveries } from '../state/deliveries';
import { useAgentName } from './settings/AgentFilter';
import { formatTime, formatWhen, prettyJson } from './format';

const ROW_HEIGHT = 34;

export function DeliveryTable(props: { compact?: boolean }): React.JSX.Element {
  const rows = useDeliveries((s) => s.rows);
  const filter = useDeliveries((s) => s.filter);
  const next = useDeliveries((s) => s.nextBeforeId);
  const loading = useDeliveries((s) => s.loading);
  const error = useDeliveries((s) => s.error);
  const selectedId = useDeliveries((s) => s.selectedId);
  const select = useDeliveries((s) => s.select);
  const loadMore = useDeliveries((s) => s.loadMore);
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => useDeliveries.getState().show(), []);

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

  // The open row stays in view in the shortened table.
  useEffect(() => {
    if (selectedId === null) return;
    const index = useDeliveries.getState().rows.findIndex((r) => r.id === selectedId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selectedId, virtualizer]);

  if (error !== null) return <p className="banner error" role="alert">{error}</p>;
  if (rows.length === 0) {
    // The store page's table is filtered by its store only: nothing there means nothing sent yet.
    const narrowed = Object.keys(filter).some((k) => k !== 'storeId') || (props.compact !== true && filter.storeId !== undefined);
    return (
      <p className="muted" data-testid="deliveries-empty">
        {loading ? 'Loading…' : narrowed ? 'No attempts match these filters.' : 'No deliveries yet. Sent tests appear here.'}
      </p>
    );
  }
  const cols = props.compact === true ? 'compact' : 'full';
  /** Closing a detail (Escape or Close) puts the focus back on its row, scrolled into view first. */
  const closeDetail = (id: number): void => {
    select(null);
    const index = rows.findIndex((r) => r.id === id);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-row-id="${id}"]`)?.focus());
  };
  return (
    <div className={selectedId === null ? 'deliveries' : 'deliveries with-detail'}>
      {/* One table: a header row group and a scrolling body row group, each row made of cells. */}
      <div role="table" aria-label={props.compact === true ? 'Recent deliveries of this store' : 'Delivery attempts'} aria-rowcount={next === null ? rows.length + 1 : -1}>
        <div role="rowgroup">
          <div className={`vt-head ${cols}`} role="row" aria-rowindex={1}>
            <span role="columnheader">When</span>
            {props.compact !== true && <span role="columnheader">Store</span>}
            <span role="columnheader">Event (Skio)</span>
            <span role="columnheader">Outcome</span>
            {props.compact !== true && <span role="columnheader">Status</span>}
            {props.compact !== true && (
              <span role="columnheader" className="num">
                Latency
              </span>
            )}
          </div>
        </div>
        <div ref={scroller} className={props.compact === true ? 'vt-body short' : 'vt-body'} data-testid="delivery-table" role="rowgroup">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const r = rows[v.index];
              return r === undefined ? (
                <div key="more" className="vt-row muted" role="row" style={{ transform: `translateY(${v.start}px)` }}>
                  <span role="cell">Loading older attempts…</span>
                </div>
              ) : (
                <Row key={r.id} row={r} index={v.index} compact={props.compact === true} start={v.start} selected={selectedId === r.id} onClick={() => select(selectedId === r.id ? null : r.id)} />
              );
            })}
          </div>
        </div>
      </div>
      {/* Keyed by row: a new selection starts with fresh state. */}
      {selectedId !== null && <DeliveryDetail key={selectedId} id={selectedId} headingLevel={props.compact === true ? 4 : 3} onClose={() => closeDetail(selectedId)} />}
    </div>
  );
}

function Row(props: { row: LogRow; index: number; compact: boolean; start: number; selected: boolean; onClick: () => void }): React.JSX.Element {
  const r = props.row;
  const event = findSkioEvent(r.eventKey)?.name ?? r.eventKey;
  // Team mode: a teammate's attempt says whose it is.
  const agent = useAgentName(r.agentId);
  return (
    <div
      className={`vt-row ${props.compact ? 'compact' : 'full'}${props.selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${props.start}px)` }}
      data-testid="delivery-row"
      data-row-id={r.id}
      role="row"
      aria-rowindex={props.index + 2}
      tabIndex={0}
      onClick={props.onClick}
      onKeyDown={(e) => {
        if (e.key === 'Enter') props.onClick();
      }}
    >
      <span role="cell" title={formatTime(r.startedAt)} data-col="when">
        {/* The open row says so in a symbol and in words, not by its colour alone. */}
        {props.selected && (
          <span aria-hidden="true" className="row-mark">
            ▸{' '}
          </span>
        )}
        {formatWhen(r.startedAt)}
        {props.selected && <span className="visually-hidden"> (open below)</span>}
      </span>
      {!props.compact && (
        <span role="cell" title={agent === null ? r.storeName : `${r.storeName} (by ${agent})`}>
          {r.storeName}
          {agent !== null && <span className="muted small" data-testid="delivery-agent"> · {agent}</span>}
        </span>
      )}
      <span role="cell" title={event}>
        {event.replace(/^Skio: /, '')}
      </span>
      <span role="cell" title={`${r.outcome.replace('_', ' ')}${r.responseStatus === null ? '' : ` (HTTP ${r.responseStatus})`}${r.willRetry ? ', retrying' : ''}`}>
        <span className={`outcome ${r.outcome}`} data-testid="delivery-outcome">
          {r.outcome.replace('_', ' ')}
        </span>
        {props.compact && r.responseStatus !== null && (
          <>
            {' '}
            <span className="muted small" data-testid="delivery-status">
              {r.responseStatus}
            </span>
          </>
        )}
        {r.willRetry && <span className="muted small"> · retrying</span>}
      </span>
      {!props.compact && (
        <span role="cell" data-testid="delivery-status">
          {r.responseStatus ?? '—'}
        </span>
      )}
      {!props.compact && (
        <span role="cell" className="num">
          {r.latencyMs === null ? '—' : `${r.latencyMs} ms`}
        </span>
      )}
    </div>
  );
}

/** `headingLevel`: 3 under the log's title, 4 inside the store page's "Recent deliveries" card. */
function DeliveryDetail(props: { id: number; headingLevel: 3 | 4; onClose: () => void }): React.JSX.Element {
  const Title = props.headingLevel === 3 ? 'h3' : 'h4';
  const Part = props.headingLevel === 3 ? 'h4' : 'h5';
  const [d, setD] = useState<(Delivery & { curl: string }) | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const loaded = d !== null;
  // The detail opens below the table, which shortens while it is open: the table's top is brought
  // into view, so its rows (the open one marked ▸) stay beside the detail instead of scrolling away
  // under it, and the focus moves to the detail, so the click shows something.
  useEffect(() => {
    if (!loaded || box.current === null) return;
    const table = box.current.closest('.deliveries');
    if (table !== null && table.getBoundingClientRect().top < 0) table.scrollIntoView({ block: 'start' });
    box.current.scrollIntoView({ block: 'nearest' });
    box.current.focus({ preventScroll: true });
  }, [loaded]);
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
    <div
      className="delivery-detail card"
      data-testid="delivery-detail"
      ref={box}
      tabIndex={-1}
      role="region"
      aria-label="Attempt detail"
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onClose();
      }}
    >
      <div className="pane-header">
        <Title>
          {d.requestMethod} {d.requestUrl}
        </Title>
        <div className="actions">
          {note !== null && <span className="small muted" role="status">{note}</span>}
          <button type="button" data-testid="copy-curl" onClick={() => void navigator.clipboard.writeText(d.curl).then(() => setNote('curl copied'), () => setNote('Copy failed: select the command below.'))}>
            Copy curl
          </button>
          <button type="button" onClick={props.onClose} data-testid="close-detail">
            Close
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
          <Part>Request</Part>
          {/* Each block may scroll: focusable, so the keyboard can scroll it too. */}
          <pre tabIndex={0} data-testid="request-headers">
            {Object.entries(d.requestHeaders).map(([k, v]) => `${k}: ${v}`).join('\n')}
          </pre>
          <pre tabIndex={0} data-testid="request-body">
            {prettyJson(d.requestBody)}
          </pre>
        </div>
        <div>
          <Part>Response {d.responseStatus ?? ''}</Part>
          <pre tabIndex={0} data-testid="response-body">
            {d.responseBody === null ? '(no response)' : prettyJson(d.responseBody)}
          </pre>
          <Part>curl</Part>
          <pre tabIndex={0} data-testid="curl">
            {d.curl}
          </pre>
        </div>
      </div>
    </div>
  );
}
