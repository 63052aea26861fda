/**
 * The delivery log screen: the overview chart, filters and search, resend and export, over the
 * delivery table (DeliveryTable.tsx).
 */
import { useEffect, useState } from 'react';
import { AppError } from '../../src-shared/errors';
import { SKIO_EVENTS } from '../../src-shared/events/catalog';
import type { LogFilter, PushPayload } from '../../src-shared/ipc/contract';
import { api } from '../api';
import { useDeliveries } from '../state/deliveries';
import { useOutbox } from '../state/outbox';
import { logFilterToQuery, queryToLogFilter, useRoute } from '../state/route';
import { DeliveryOverview } from './DeliveryOverview';
import { AgentFilter } from './settings/AgentFilter';
import { DeliveryTable } from './DeliveryTable';
import { deliverFiles } from './download';
import { ExportedFiles } from './ExportedFiles';
import { StorePicker } from './StorePicker';

export function DeliveryLog(): React.JSX.Element {
  // The filters come from the address (a reload keeps them); the store page's own filter does not.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    // The filters and the table start once the address's filter is in place (it fails in words, in the table).
    void useDeliveries.getState().setFilter(queryToLogFilter(useRoute.getState().route.query)).then(() => setReady(true));
  }, []);
  return (
    <div className="log-view">
      <h2>Delivery log</h2>
      <p className="muted small">Every attempt to send an event to Postscript, newest first. Secrets are masked.</p>
      <DeliveryOverview />
      {ready && (
        <>
          <LogFilters />
          <DeliveryTable />
        </>
      )}
    </div>
  );
}

function LogFilters(): React.JSX.Element {
  const filter = useDeliveries((s) => s.filter);
  const setFilter = useDeliveries((s) => s.setFilter);
  const batches = useOutbox((s) => s.batches);
  const [q, setQ] = useState(filter.q ?? '');
  // The address follows the filters (replacing its entry: Back leaves the log, not the last filter).
  useEffect(() => {
    if (useRoute.getState().route.tab === 'log') useRoute.getState().go({ query: logFilterToQuery(filter) }, { replace: true });
  }, [filter]);
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
            ? `Exported ${job.done.toLocaleString()} rows.`
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
  // A finished export is handed over once (a download in the browser), as every file the app makes.
  const finishedPath = job !== undefined && job.finished && job.error === undefined ? (job.path ?? null) : null;
  useEffect(() => {
    if (finishedPath !== null) void deliverFiles([finishedPath]);
  }, [finishedPath]);
  const startExport = (format: 'csv' | 'json'): void => {
    setNote(null);
    api.deliveries.export({ filter, format }).then(
      (r) => setJobId(r.jobId),
      (err: unknown) => setNote(err instanceof AppError ? err.message : String(err)),
    );
  };

  const filtered = Object.keys(filter).length > 0;
  async function resendFiltered(): Promise<void> {
    setNote(null);
    try {
      const count = await api.deliveries.resend({ filter, dryRun: true });
      if (count.queued === 0) return setNote('Nothing to resend: these attempts were not sent through the outbox.');
      const n = `${count.queued} event${count.queued === 1 ? '' : 's'}`;
      if (!window.confirm(`Resend ${n} this filter shows, as new events? Each may text the Test Event User.`)) return;
      const r = await api.deliveries.resend({ filter });
      setNote(`${r.queued} queued again${r.skipped > 0 ? `, ${r.skipped} skipped` : ''}.${r.note === null ? '' : ` ${r.note}`}`);
    } catch (err) {
      setNote(err instanceof AppError ? err.message : String(err));
    }
  }

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
    <div className="card log-filters" role="search" aria-label="Filter the log">
      <div className="filter-grid">
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search: a phone (any format), an external_id or its start, or words of an error" aria-label="Search the log" data-testid="log-search" />
        <AgentFilter value={filter.agent} onChange={(v) => change('agent', v)} />
        <StorePicker value={filter.storeId ?? null} onChange={(id) => change('storeId', id ?? '')} emptyLabel="All stores" ariaLabel="Store" testId="filter-store" />
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
        <label className="inline small">
          HTTP status <input type="number" min={100} max={599} value={filter.status ?? ''} onChange={(e) => change('status', e.target.value)} placeholder="429" data-testid="filter-status" />
        </label>
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
        {finishedPath !== null && <ExportedFiles paths={[finishedPath]} lead="" testId="export-file" />}
        <button
          type="button"
          disabled={!filtered && q === ''}
          onClick={() => {
            setQ('');
            void setFilter({});
          }}
        >
          Clear filters
        </button>
        <span className="spacer" />
        <button type="button" data-testid="export-csv" onClick={() => startExport('csv')}>
          Export CSV
        </button>
        <button type="button" data-testid="export-json" onClick={() => startExport('json')}>
          Export JSON
        </button>
        {/* A bulk resend can text the Test Event User many times: only for a filter, and it says how many first. */}
        <button type="button" data-testid="resend-filtered" disabled={!filtered} title={filtered ? undefined : 'Filter the log first: a resend sends what the filter shows.'} onClick={() => void resendFiltered()}>
          Resend filtered…
        </button>
      </div>
    </div>
  );
}
