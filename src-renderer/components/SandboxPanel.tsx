import { useState } from 'react';
import { useSandbox } from '../state/sandbox';
import { formatTime } from './format';

export function SandboxPanel(): React.JSX.Element {
  const status = useSandbox((s) => s.status);
  const setFaults = useSandbox((s) => s.setFaults);
  const [draft, setDraft] = useState({ rate429: '0', rate5xx: '0', dropRate: '0', delayMs: '0' });

  if (status === null) return <p className="muted">Loading…</p>;
  const pct = (v: number): string => `${Math.round(v * 100)}%`;
  return (
    <div className="sandbox-view">
      <h2>Sandbox</h2>
      <p className="muted">
        A local, Postscript-compatible API. Sandbox stores send here instead of to Postscript: nothing leaves this machine and no one is texted.
      </p>
      <section className="card">
        <dl className="facts">
          <dt>Status</dt>
          <dd data-testid="sandbox-running">{status.running ? 'running' : 'stopped'}</dd>
          <dt>API address</dt>
          <dd>
            <code>{status.baseUrl ?? '—'}</code>
          </dd>
          <dt>Demo shop</dt>
          <dd>{status.shopName}</dd>
        </dl>
      </section>
      <section className="card" aria-label="Event types received">
        <h3>Event types Postscript now knows</h3>
        <p className="muted small">An event type appears in Postscript’s flow builder once it was received at least once.</p>
        {status.eventTypes.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <table className="table" data-testid="sandbox-event-types">
            <thead>
              <tr>
                <th>Type</th>
                <th className="num">Received</th>
                <th>Last</th>
              </tr>
            </thead>
            <tbody>
              {status.eventTypes.map((t) => (
                <tr key={t.type}>
                  <td>
                    <code>{t.type}</code>
                  </td>
                  <td className="num">{t.count}</td>
                  <td data-col="when">{formatTime(t.lastReceivedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-label="Fault injection">
        <h3>Fault injection</h3>
        <p className="small">
          Now: 429 {pct(status.faults.rate429)}, 5xx {pct(status.faults.rate5xx)}, dropped {pct(status.faults.dropRate)}, delay {status.faults.delayMs} ms
        </p>
        <form
          className="faults"
          onSubmit={(e) => {
            e.preventDefault();
            void setFaults({
              rate429: Number(draft.rate429) / 100,
              rate5xx: Number(draft.rate5xx) / 100,
              dropRate: Number(draft.dropRate) / 100,
              delayMs: Number(draft.delayMs),
              remaining: null,
            });
          }}
        >
          {(
            [
              ['rate429', '429 rate limit (%)'],
              ['rate5xx', 'Server errors (%)'],
              ['dropRate', 'Dropped connections (%)'],
              ['delayMs', 'Added delay (ms)'],
            ] as const
          ).map(([k, label]) => (
            <label key={k}>
              {label}
              <input type="number" min={0} max={k === 'delayMs' ? 120000 : 100} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
            </label>
          ))}
          <div className="actions">
            <button type="submit" className="primary">
              Apply faults
            </button>
            <button
              type="button"
              onClick={() => {
                setDraft({ rate429: '0', rate5xx: '0', dropRate: '0', delayMs: '0' });
                void setFaults({ rate429: 0, rate5xx: 0, dropRate: 0, delayMs: 0, remaining: null });
              }}
            >
              Clear
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
