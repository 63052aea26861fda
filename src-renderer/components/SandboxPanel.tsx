import { useState } from 'react';
import { useSandbox } from '../state/sandbox';
import { formatTime } from './format';
import { NewSandboxKey } from './NewSandboxKey';
import { StorePicker } from './StorePicker';

type FaultKey = 'rate429' | 'rate5xx' | 'dropRate' | 'delayMs' | 'requestDelayMs' | 'responseDelayMs' | 'jitterMs' | 'lossRate' | 'flapUpMs' | 'flapDownMs';
/** [fault, label, entered as a percentage] */
const FIELDS: ReadonlyArray<readonly [FaultKey, string, boolean]> = [
  ['rate429', '429 rate limit (%)', true],
  ['rate5xx', 'Server errors (%)', true],
  ['dropRate', 'Dropped connections (%)', true],
  ['delayMs', 'Added delay (ms)', false],
  ['requestDelayMs', 'Request leg delay (ms)', false],
  ['responseDelayMs', 'Answer leg delay (ms)', false],
  ['jitterMs', 'Jitter on each leg (± ms)', false],
  ['lossRate', 'Loss (%)', true],
  ['flapUpMs', 'Flapping link: up for (ms)', false],
  ['flapDownMs', '… then down for (ms)', false],
];
const EMPTY_DRAFT = Object.fromEntries(FIELDS.map(([k]) => [k, '0'])) as Record<FaultKey, string>;

export function SandboxPanel(): React.JSX.Element {
  const status = useSandbox((s) => s.status);
  const setFaults = useSandbox((s) => s.setFaults);
  const [draft, setDraft] = useState<Record<FaultKey, string>>(EMPTY_DRAFT);
  const [faultError, setFaultError] = useState<string | null>(null);
  const [keyStore, setKeyStore] = useState<string | null>(null);

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
      <section className="card" aria-label="Keys">
        <h3>Keys</h3>
        <p className="muted small">A Sandbox store whose key was revoked gets a new key of its own Sandbox shop here, and uses it at once.</p>
        <div className="actions">
          <StorePicker value={keyStore} onChange={setKeyStore} emptyLabel="Choose a Sandbox store" ariaLabel="Sandbox store" testId="sandbox-key-store" />
          <NewSandboxKey storeId={keyStore} />
        </div>
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
          Now: 429 {pct(status.faults.rate429)}, 5xx {pct(status.faults.rate5xx)}, dropped {pct(status.faults.dropRate)}, delay {status.faults.delayMs} ms; network: request{' '}
          {status.faults.requestDelayMs} ms, answer {status.faults.responseDelayMs} ms, ± {status.faults.jitterMs} ms, loss {pct(status.faults.lossRate)}
          {status.faults.flapUpMs > 0 && status.faults.flapDownMs > 0 ? `, link down ${status.faults.flapDownMs} ms every ${status.faults.flapUpMs + status.faults.flapDownMs} ms` : ''}
        </p>
        <form
          className="faults"
          // The app says what is out of range in its own words, instead of the browser's tooltip.
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const bad = FIELDS.find(([k, , percent]) => {
              const n = Number(draft[k]);
              return draft[k].trim() !== '' && (!Number.isFinite(n) || n < 0 || n > (percent ? 100 : 600000));
            });
            setFaultError(bad === undefined ? null : `${bad[1]} must be a number from 0 to ${bad[2] ? '100' : '600000'}; nothing was changed.`);
            if (bad !== undefined) return;
            void setFaults({
              ...Object.fromEntries(FIELDS.map(([k, , percent]) => [k, percent ? Number(draft[k]) / 100 : Math.round(Number(draft[k]))])),
              remaining: null,
            });
          }}
        >
          {FIELDS.map(([k, label, percent]) => (
            <label key={k}>
              {label}
              <input type="number" min={0} max={percent ? 100 : 600000} value={draft[k]} data-testid={`fault-${k}`} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
            </label>
          ))}
          {faultError !== null && (
            <p className="field-error" role="alert" data-testid="fault-error">
              {faultError}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary">
              Apply faults
            </button>
            <button
              type="button"
              onClick={() => {
                setDraft(EMPTY_DRAFT);
                void setFaults({ ...Object.fromEntries(FIELDS.map(([k]) => [k, 0])), remaining: null });
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
