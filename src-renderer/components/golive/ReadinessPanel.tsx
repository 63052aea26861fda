/**
 * Go-live readiness of one store, in one place: every check with its evidence and time, what to do
 * for each warning or failure, the report to hand over, and the store's health history.
 */
import { useEffect, useState } from 'react';
import type { HealthRecord, ReadinessCheck, StoreReadiness } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { formatTime, prettyJson } from '../format';
import { useAction } from '../useAction';
import { NewSandboxKey } from '../NewSandboxKey';
import { deliverFiles } from '../download';
import { ExportedFiles } from '../ExportedFiles';
import './golive.css';

const WORD = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unchecked: 'NOT CHECKED', na: 'NOT APPLICABLE', noted: 'AGENT’S ANSWER' } as const;

/** The panel's headline: a check never made with Postscript keeps the store from reading as ready. */
function overallText(r: StoreReadiness): string {
  const unchecked = r.checks.filter((c) => c.status === 'unchecked').map((c) => c.title);
  const notYet = unchecked.length === 0 ? '' : ` Not checked yet: ${unchecked.join('; ')}. Press Re-check with Postscript (and send the tests that have not gone out) to verify them.`;
  switch (r.overall) {
    case 'pass':
      return 'Ready for go-live: every check passed.';
    case 'warn':
      return 'Ready, with warnings to read.';
    case 'fail':
      return `Not ready yet: each failed check says what to do.${notYet}`;
    case 'unchecked':
      return `Not verified yet: nothing failed, but not every check could be made.${notYet}`;
    default:
      return 'Ready for go-live: every check that applies passed.';
  }
}

/** Mount with `key={storeId}`: a report's paths belong to the store they were made for. */
export function ReadinessPanel(props: { storeId: string }): React.JSX.Element {
  const { storeId } = props;
  const [readiness, setReadiness] = useState<StoreReadiness | null>(null);
  const [history, setHistory] = useState<HealthRecord[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [files, setFiles] = useState<{ htmlPath: string; pdfPath: string } | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const { busy, note, run } = useAction();

  useEffect(() => {
    const load = (): void => {
      Promise.all([api.readiness.get({ storeId }), api.readiness.history({ storeId, limit: 10 })]).then(
        ([r, h]) => {
          setReadiness(r);
          setHistory(h);
          setLoadError(null);
        },
        (err: unknown) => setLoadError(err instanceof Error ? err.message : String(err)),
      );
    };
    load();
    // Any change to what the checks read (the store, its events, deliveries, SKIP, health) refetches them.
    return api.on('changed', ({ topics, storeId: changed }) => {
      if ((changed === undefined || changed === storeId) && topics.some((t) => ['stores', 'triggers', 'deliveries', 'skip', 'storeHealth'].includes(t))) load();
    });
  }, [storeId]);

  if (readiness === null) return <section className="card">{loadError ?? 'Loading readiness…'}</section>;
  return (
    <section className="card readiness" aria-label="Go-live readiness" data-testid="readiness-panel" data-overall={readiness.overall}>
      <div className="pane-header">
        <h3>
          <span className={`chip ${readiness.overall}`}>{WORD[readiness.overall]}</span>Go-live readiness
        </h3>
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void run(async () => setReadiness(await api.readiness.recheck({ storeId })), 'Re-checked with Postscript.')} data-testid="readiness-recheck">
            Re-check with Postscript
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                const made = await api.readiness.report({ storeId });
                setFiles(made);
                await deliverFiles([made.htmlPath, made.pdfPath]);
              }, 'Report written.')
            }
            data-testid="readiness-report"
          >
            Make report (HTML + PDF)
          </button>
        </div>
      </div>
      <p className="small" data-testid="readiness-overall">
        {overallText(readiness)}
      </p>
      {note !== null && (
        <p className="small" role="status" data-testid="readiness-note">
          {note}
        </p>
      )}
      {files !== null && (
        <ExportedFiles paths={[files.htmlPath, files.pdfPath]} lead="Report made (HTML and PDF): attach both to the merchant’s ticket." testId="report-paths" />
      )}
      <ul className="triggers" data-testid="readiness-checks">
        {readiness.checks.map((c) => (
          <CheckRow key={c.id} check={c} />
        ))}
      </ul>
      <HealthHistory storeId={storeId} history={history} />
      {readiness.account === 'sandbox' && (
        <div className="actions">
          {confirmRevoke ? (
            <>
              <span className="small warning-text">The Sandbox will refuse this store’s key, as if the merchant deleted it in Postscript. Rotate the key to recover.</span>
              <button type="button" onClick={() => setConfirmRevoke(false)}>
                Keep it
              </button>
              <button
                type="button"
                onClick={() => void run(() => api.readiness.revokeSandboxKey({ storeId }), 'Key revoked in the Sandbox: the health watch will find it.').finally(() => setConfirmRevoke(false))}
                data-testid="revoke-confirm"
              >
                Revoke
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirmRevoke(true)} data-testid="revoke-sandbox-key">
              Revoke key in Sandbox…
            </button>
          )}
          <NewSandboxKey storeId={storeId} />
        </div>
      )}
    </section>
  );
}

function CheckRow(props: { check: ReadinessCheck }): React.JSX.Element {
  const c = props.check;
  return (
    <li className={`check ${c.status}`} data-testid={`check-${c.id}`} data-status={c.status}>
      <p>
        <span className={`chip ${c.status}`}>{WORD[c.status]}</span>
        <strong>{c.title}</strong>
      </p>
      <p className="small">{c.evidence}</p>
      <p className="small muted">
        {c.status === 'na'
          ? 'Does not apply to this store.'
          : c.status === 'noted'
            ? 'Source: your answer in the app (“Also sent by SkioSMS”), not checked with Postscript.'
            : c.at === null
              ? 'No evidence obtained yet.'
              : `Evidence from ${formatTime(c.at)}`}
      </p>
      {c.action !== null && (
        <p className="small" data-testid="check-action">
          <strong>What to do:</strong> {c.action}
        </p>
      )}
      {c.details.length > 0 && (
        <details className="small">
          <summary>Payload and answer</summary>
          {c.details.map((d) => (
            <div key={d.label}>
              <div className="muted">{d.label}</div>
              <pre>{prettyJson(d.text)}</pre>
            </div>
          ))}
        </details>
      )}
    </li>
  );
}

function HealthHistory(props: { storeId: string; history: HealthRecord[] }): React.JSX.Element {
  const { busy, note, run } = useAction();
  return (
    <div>
      <div className="pane-header">
        <h4>Health history</h4>
        <button type="button" disabled={busy} onClick={() => void run(() => api.readiness.runWatch({ storeId: props.storeId }), 'Checked.')} data-testid="health-check-now">
          Check health now
        </button>
      </div>
      {note !== null && <p className="small">{note}</p>}
      {props.history.length === 0 ? (
        <p className="small muted">Not checked by the health watch yet.</p>
      ) : (
        <ul className="history small" data-testid="health-history">
          {props.history.map((h) => (
            <li key={h.id} data-status={h.status}>
              <span className={`badge health-${h.status}`}>{h.status}</span> {formatTime(h.checkedAt)} ({h.cause === 'manual' ? 'by hand' : 'scheduled'})
              {h.problems.length > 0 && `: ${h.problems.join(' ')}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
