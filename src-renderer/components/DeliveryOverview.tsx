/** Per store and event: last success and last failure; attempts per hour by outcome; retention. */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { AppError } from '../../src-shared/errors';
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { LogStats, OutputOf } from '../../src-shared/ipc/contract';
import { api } from '../api';
import { formatTime } from './format';

type Overview = OutputOf<'deliveries', 'overview'>;
const COLORS: Record<string, string> = { delivered: '#137a3f', failed: '#b42318', rate_limited: '#d97706', uncertain: '#8a5a00' };

export function DeliveryOverview(): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<Overview | null>(null);
  const [stats, setStats] = useState<LogStats | null>(null);
  const [days, setDays] = useState('');
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    const load = (): void => {
      void api.deliveries.stats({}).then((s) => {
        setStats(s);
        setDays((d) => (d === '' ? String(s.retentionDays) : d));
      });
      if (open) void api.deliveries.overview({ hours: 48 }).then(setData);
    };
    load();
    return api.on('changed', ({ topics }) => {
      if (topics.includes('logStats') || (open && topics.includes('deliveries'))) load();
    });
  }, [open]);

  return (
    <section className="card overview" aria-label="Overview">
      <div className="pane-header">
        <button type="button" className="link" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="toggle-overview">
          {open ? '▾' : '▸'} Overview
        </button>
        {stats !== null && (
          <form
            className="inline small"
            onSubmit={(e) => {
              e.preventDefault();
              setNote(null);
              api.deliveries.setRetention({ days: Number(days) }).then(
                (s) => {
                  setStats(s);
                  setNote('Saved.');
                },
                (err: unknown) => setNote(err instanceof AppError ? err.message : String(err)),
              );
            }}
          >
            <span className="muted" data-testid="db-size">
              Database {(stats.dbBytes / 1024 / 1024).toFixed(1)} MB{stats.oldestAt !== null ? ` · oldest ${formatTime(stats.oldestAt)}` : ''} · keep
            </span>
            <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} className="narrow" aria-label="Days to keep" data-testid="retention-days" />
            <span className="muted">days</span>
            <button type="submit">Save</button>
            {note !== null && <span className="muted">{note}</span>}
          </form>
        )}
      </div>
      {open && data !== null && (
        <>
          <Chart histogram={data.histogram} />
          <table className="table" data-testid="overview-summary">
            <thead>
              <tr>
                <th>Store</th>
                <th>Event</th>
                <th>Last success</th>
                <th>Last failure</th>
              </tr>
            </thead>
            <tbody>
              {data.summary.map((s) => (
                <tr key={`${s.storeId}:${s.eventKey}`}>
                  <td title={s.storeName}>{s.storeName}</td>
                  <td title={findSkioEvent(s.eventKey)?.name ?? s.eventKey}>{findSkioEvent(s.eventKey)?.name ?? s.eventKey}</td>
                  <td className={s.lastSuccessAt === null ? 'muted' : 'ok'} data-col="when">
                    {s.lastSuccessAt === null ? 'none yet' : formatTime(s.lastSuccessAt)}
                  </td>
                  <td className={s.lastFailureAt === null ? 'muted wrap' : 'fail wrap'} title={s.lastFailureMessage ?? ''}>
                    {s.lastFailureAt === null ? 'none' : `${formatTime(s.lastFailureAt)}: ${s.lastFailureMessage ?? ''}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Chart(props: { histogram: Overview['histogram'] }): React.JSX.Element {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = el.current;
    if (host === null) return;
    const xs = props.histogram.hours.map((h) => Date.parse(h) / 1000);
    const plot = new uPlot(
      {
        width: Math.max(300, host.clientWidth),
        height: 160,
        series: [{}, ...props.histogram.series.map((s) => ({ label: s.outcome.replace('_', ' '), stroke: COLORS[s.outcome] ?? '#555', width: 2, points: { show: false } }))],
        axes: [{}, { label: 'attempts / hour', size: 50 }],
        // Names only: the live values read "--" until the pointer is over the chart.
        legend: { show: true, live: false },
      },
      [xs, ...props.histogram.series.map((s) => s.counts)],
      host,
    );
    return () => plot.destroy();
  }, [props.histogram]);
  return <div ref={el} className="chart" data-testid="overview-chart" role="img" aria-label="Attempts per hour by outcome" />;
}
