import { useEffect, useState } from 'react';
import { AppError } from '../../src-shared/errors';
import { SKIO_EVENTS } from '../../src-shared/events/catalog';
import type { BatchSummary, OutboxItem } from '../../src-shared/ipc/contract';
import { api } from '../api';
import { BatchReportButton } from './golive/BatchReportButton';
import { useOutbox } from '../state/outbox';
import { storeEntryLabel, useStores } from '../state/stores';
import { isActiveStore, selectBatchStores } from '../../src-shared/rules/activeStores';
import { rerunControl } from '../../src-shared/teamPrompts';
import { deliverFiles } from './download';
import { ExportedFiles } from './ExportedFiles';
import { AgentFilter, useAgentName } from './settings/AgentFilter';
import { formatTime } from './format';
import { WaitNote } from './WaitNote';

type StoreMode = 'all' | 'some' | 'csv';

export function BatchesView(): React.JSX.Element {
  const all = useOutbox((s) => s.batches);
  const [creating, setCreating] = useState(false);
  /** Each "New batch" opens an empty form: the last batch's name and result do not stay. */
  const [formKey, setFormKey] = useState(0);
  const [agent, setAgent] = useState('');
  const batches = agent === '' ? all : all.filter((b) => (agent === 'me' ? b.agentId === null : b.agentId === agent));
  return (
    <div className="batches-view">
      <div className="pane-header">
        <h2>Send-test batches</h2>
        <button type="button" className="primary" onClick={() => {
            setCreating(true);
            setFormKey((k) => k + 1);
          }}
          data-testid="new-batch"
        >
          New batch
        </button>
      </div>
      <p className="muted small">Sends a test of each chosen event for many stores. Every send is saved first and survives a lost connection or a restart.</p>
      <AgentFilter value={agent} onChange={setAgent} testId="batches-agent" />
      {creating && <NewBatchForm key={formKey} onDone={() => setCreating(false)} />}
      {batches.length === 0 ? <p className="muted">No batches yet.</p> : batches.map((b) => <BatchCard key={b.id} batch={b} />)}
    </div>
  );
}

const CHECKLIST_MAX = 200;

function NewBatchForm(props: { onDone: () => void }): React.JSX.Element {
  const stores = useStores((s) => s.directory);
  // The batch over all stores takes the active ones: the count says how many it will take.
  const activeCount = selectBatchStores(stores, { kind: 'all' }).stores.length;
  const archivedCount = stores.length - activeCount;
  const [name, setName] = useState('');
  const [mode, setMode] = useState<StoreMode>('all');
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [filter, setFilter] = useState('');
  const shown = stores.filter((s) => `${s.name} ${s.shopDomain}`.toLowerCase().includes(filter.trim().toLowerCase()));
  const [csv, setCsv] = useState('');
  const [eventMode, setEventMode] = useState<'enabled' | 'some'>('enabled');
  const [events, setEvents] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const toggle = (set: Set<string>, key: string): Set<string> => {
    const next = new Set(set);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    return next;
  };

  async function submit(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.batches.create({
        ...(name.trim() === '' ? {} : { name }),
        stores: mode === 'all' ? { kind: 'all' } : mode === 'some' ? { kind: 'ids', storeIds: [...picked] } : { kind: 'csv', csv },
        events: eventMode === 'enabled' ? { kind: 'enabled' } : { kind: 'some', eventKeys: [...events] },
      });
      const n: string[] = [];
      if (result.unknownDomains.length > 0) n.push(`Not a store set up here (left out): ${result.unknownDomains.join(', ')}`);
      for (const s of result.skippedStores) n.push(`Skipped ${s.name}: ${s.reason}`);
      setNotes(n);
      if (n.length === 0) props.onDone();
    } catch (err) {
      setError(err instanceof AppError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  async function loadFile(file: File | undefined): Promise<void> {
    if (file !== undefined) setCsv(await file.text());
  }

  return (
    <form className="card form wide" onSubmit={(e) => void submit(e)} aria-label="New batch">
      <label>
        Name (optional)
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Monday onboarding run" data-testid="batch-name" />
      </label>
      <fieldset>
        <legend>Stores</legend>
        <label className="inline">
          <input type="radio" checked={mode === 'all'} onChange={() => setMode('all')} data-testid="batch-stores-all" /> All {activeCount} active stores{archivedCount > 0 ? ` (${archivedCount} archived left out)` : ''}
        </label>
        <label className="inline">
          <input type="radio" checked={mode === 'some'} onChange={() => setMode('some')} data-testid="batch-stores-some" /> Choose stores
        </label>
        {mode === 'some' && (
          <div className="filter-row">
            <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter stores by name or domain" aria-label="Filter stores" />
            <button type="button" onClick={() => setPicked(new Set([...picked, ...shown.filter(isActiveStore).map((s) => s.id)]))}>
              Select {shown.filter(isActiveStore).length} shown
            </button>
            <button type="button" onClick={() => setPicked(new Set())}>
              Clear ({picked.size})
            </button>
          </div>
        )}
        {mode === 'some' && (
          <div className="checklist">
            {/* Thousands of checkboxes would stall the page: the filter narrows, "Select shown" takes them all. */}
            {shown.length > CHECKLIST_MAX && (
              <p className="small muted" data-testid="checklist-cut">
                Showing {CHECKLIST_MAX} of {shown.length}: filter to narrow.
              </p>
            )}
            {shown.slice(0, CHECKLIST_MAX).map((s) => (
              <label key={s.id} className="inline" title={s.archived ? 'Archived: a batch never sends to an archived store.' : undefined}>
                <input type="checkbox" checked={picked.has(s.id)} disabled={s.archived && !picked.has(s.id)} onChange={() => setPicked(toggle(picked, s.id))} /> {storeEntryLabel(s)}
              </label>
            ))}
          </div>
        )}
        <label className="inline">
          <input type="radio" checked={mode === 'csv'} onChange={() => setMode('csv')} data-testid="batch-stores-csv" /> Shop domains from a CSV
        </label>
        {mode === 'csv' && (
          <>
            <textarea rows={4} value={csv} onChange={(e) => setCsv(e.target.value)} placeholder={'acme-coffee.myshopify.com\nbean-there.myshopify.com'} data-testid="batch-csv" />
            <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void loadFile(e.target.files?.[0])} />
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>Events</legend>
        <label className="inline">
          <input type="radio" checked={eventMode === 'enabled'} onChange={() => setEventMode('enabled')} /> Every event turned on for each store
        </label>
        <label className="inline">
          <input type="radio" checked={eventMode === 'some'} onChange={() => setEventMode('some')} /> Only these (where turned on)
        </label>
        {eventMode === 'some' && (
          <div className="checklist">
            {SKIO_EVENTS.map((e) => (
              <label key={e.key} className="inline">
                <input type="checkbox" checked={events.has(e.key)} onChange={() => setEvents(toggle(events, e.key))} /> {e.name}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      {error !== null && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {notes.length > 0 && (
        <div className="banner warning" role="status">
          The batch started. {notes.join('. ')}.
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={props.onDone}>
          {notes.length > 0 ? 'Close' : 'Cancel'}
        </button>
        <button type="submit" className="primary" disabled={busy} data-testid="start-batch">
          Start batch
        </button>
      </div>
    </form>
  );
}

const STATES = ['delivered', 'failed', 'uncertain', 'cancelled', 'in_flight', 'queued'] as const;
const LABEL: Record<(typeof STATES)[number], string> = {
  delivered: 'sent',
  failed: 'failed',
  uncertain: 'uncertain',
  cancelled: 'cancelled',
  in_flight: 'sending',
  queued: 'queued',
};

function BatchCard(props: { batch: BatchSummary }): React.JSX.Element {
  const b = props.batch;
  const [error, setError] = useState<string | null>(null);
  /** After a re-run in a team: the failed sends left out because someone already re-sent them. */
  const [rerunNote, setRerunNote] = useState<string | null>(null);
  const finished = b.total - b.counts.queued - b.counts.in_flight;
  const pct = b.total === 0 ? 100 : Math.round((finished / b.total) * 100);
  const act = async (fn: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof AppError ? err.message : String(err));
    }
  };
  const [csvPath, setCsvPath] = useState<string | null>(null);
  const download = async (): Promise<void> => {
    const made = await api.batches.exportCsv({ batchId: b.id });
    setCsvPath(made.path);
    await deliverFiles([made.path]);
  };
  const active = b.status === 'running' || b.status === 'paused';
  const [showItems, setShowItems] = useState(false);
  const owner = useAgentName(b.agentId);
  const failed = b.counts.failed + b.counts.uncertain;
  const rerun = failed > 0 ? rerunControl(failed, owner) : null;
  return (
    <section className="card batch" data-testid="batch" data-status={b.status} aria-label={`Batch ${b.name}, ${formatTime(b.createdAt)}`}>
      <div className="pane-header">
        <div>
          <h3>{b.name}</h3>
          <div className="muted small">
            {formatTime(b.createdAt)} · {b.status}
            {owner !== null && ` · ${owner}’s console sends it`}
            {b.status === 'running' && b.ratePerSecond > 0 && ` · ${b.ratePerSecond}/s`}
            {b.etaSeconds !== null && ` · about ${b.etaSeconds}s left`}
          </div>
        </div>
        <div className="actions">
          {b.status === 'running' && (
            <button type="button" onClick={() => void act(() => api.batches.pause({ batchId: b.id }))}>
              Pause
            </button>
          )}
          {b.status === 'paused' && (
            <button type="button" onClick={() => void act(() => api.batches.resume({ batchId: b.id }))}>
              Resume
            </button>
          )}
          {active && (
            <button type="button" onClick={() => void act(() => api.batches.cancel({ batchId: b.id }))} data-testid="cancel-batch">
              Cancel
            </button>
          )}
          <button type="button" onClick={() => setShowItems(!showItems)} aria-expanded={showItems}>
            {showItems ? 'Hide report' : 'Report'}
          </button>
          {/* The CSV says each item's state now: useful while the batch runs, too. */}
          <button type="button" onClick={() => void act(download)} data-testid="export-batch">
            Export CSV
          </button>
          {!active && <BatchReportButton batchId={b.id} />}
          {!active && rerun !== null && (
            <button
              type="button"
              title={rerun.title}
              onClick={() => {
                if (rerun.confirm !== null && !window.confirm(rerun.confirm)) return;
                setRerunNote(null);
                void act(async () => setRerunNote((await api.batches.rerunFailed({ batchId: b.id, takeOver: owner !== null })).note));
              }}
              data-testid="rerun-batch"
            >
              {rerun.label}
            </button>
          )}
        </div>
      </div>
      <progress max={b.total} value={finished} aria-label={`${b.name} progress`} data-testid="batch-progress" />
      <div className="small counts" data-testid="batch-counts">
        {pct}% · {finished} of {b.total} done
        {STATES.filter((s) => b.counts[s] > 0).map((s) => (
          <span key={s} className={`count ${s}`}>
            {' '}
            · {b.counts[s]} {LABEL[s]}
          </span>
        ))}
      </div>
      {b.failedWhy !== null && (
        <p className="small" data-testid="batch-failed-why">
          {b.failedWhy.count} failed: {b.failedWhy.reason.replace(/\.$/, '')}.
        </p>
      )}
      {b.wait !== null && (
        <p className="small" role="status">
          <WaitNote wait={b.wait} testId="batch-wait" />
        </p>
      )}
      {error !== null && (
        <p className="fail small" role="alert">
          {error}
        </p>
      )}
      {rerunNote !== null && (
        <p className="small" role="status" data-testid="rerun-note">
          {rerunNote}
        </p>
      )}
      {csvPath !== null && <ExportedFiles paths={[csvPath]} lead="CSV of the batch’s items as they stood when exported." testId="batch-csv-file" />}
      {showItems && <BatchItems batch={b} />}
    </section>
  );
}

/** The batch's items, keyset-paged; refetched as the batch's counts change. */
function BatchItems(props: { batch: BatchSummary }): React.JSX.Element {
  const { id, counts } = props.batch;
  const [rows, setRows] = useState<OutboxItem[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [pages, setPages] = useState(1);
  const version = JSON.stringify(counts);
  useEffect(() => {
    let live = true;
    void (async () => {
      const all: OutboxItem[] = [];
      let after = 0;
      let more: number | null = null;
      for (let i = 0; i < pages; i++) {
        const page = await api.batches.items({ batchId: id, afterId: after, limit: 200 });
        all.push(...page.rows);
        more = page.nextAfterId;
        if (more === null) break;
        after = more;
      }
      if (live) {
        setRows(all);
        setNext(more);
      }
    })();
    return () => {
      live = false;
    };
  }, [id, version, pages]);
  return (
    <div className="batch-items">
      <table className="table" data-testid="batch-items">
        <thead>
          <tr>
            <th>Store</th>
            <th>Event</th>
            <th>State</th>
            <th className="num">Attempts</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td title={r.storeName}>{r.storeName}</td>
              <td title={SKIO_EVENTS.find((e) => e.key === r.eventKey)?.name ?? r.eventKey}>{SKIO_EVENTS.find((e) => e.key === r.eventKey)?.name ?? r.eventKey}</td>
              <td>
                <span className={`count ${r.state}`}>{LABEL[r.state]}</span>
              </td>
              <td className="num">{r.attempts}</td>
              <td className="wrap">{r.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next !== null && (
        <button type="button" onClick={() => setPages(pages + 1)}>
          Show more
        </button>
      )}
    </div>
  );
}
