import { api } from '../api';
import { useHealth } from '../state/health';
import { formatTime } from './format';
import { useAction } from './useAction';

const kb = (n: number): string => (n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** Data health: where the data lives, a full disk or damage in plain words, answers not yet recorded, and the backups to restore. */
export function DataHealth(): React.JSX.Element {
  const health = useHealth((s) => s.health);
  const refresh = useHealth((s) => s.refresh);
  const { busy, note, setNote, run } = useAction();

  if (health === null) return <p className="muted">Loading…</p>;
  const restore = (name?: string): Promise<void> =>
    run(async () => {
      const label = name ?? 'the newest good backup';
      if (!window.confirm(`Restore ${label}? What was saved after it was taken is replaced (the current database is kept aside for support). Sends it shows as waiting become “uncertain”.`)) return;
      const r = await api.dataHealth.restore(name === undefined ? {} : { name });
      await refresh();
      setNote(
        `Restored ${r.restored}. ${r.markedUncertain + r.lacking.carriedUncertain} send(s) marked uncertain: check them in the delivery log before resending. ` +
          `The backup lacks ${r.lacking.summary}; the list is in ${r.lacking.file}.`,
      );
    });

  return (
    <div className="data-health" data-testid="data-health">
      <h2>Data health</h2>
      <section className="card">
        <dl className="facts">
          <dt>Data directory</dt>
          <dd>
            <code>{health.dataDir}</code>
          </dd>
          <dt>Database</dt>
          <dd>
            <code>{health.dbFile}</code>
          </dd>
          <dt>State</dt>
          <dd data-testid="data-health-state">
            {health.damaged !== null ? (
              <span className="error">{health.damaged.message}</span>
            ) : health.diskFull !== null ? (
              <span className="error">{health.diskFull.message}</span>
            ) : health.cannotWrite !== null ? (
              <span className="error">{health.cannotWrite.message}</span>
            ) : (
              'Sound: the disk has room and SQLite’s check passed.'
            )}
          </dd>
        </dl>
      </section>

      {health.unrecorded.length > 0 && (
        <section className="card" aria-label="Not yet recorded">
          <h3>Answered by Postscript, not yet recorded</h3>
          <p className="small">
            These sends reached Postscript; the app could not save the answer yet. They are not waiting and will not be sent again: do not resend them by hand.
          </p>
          <table className="table" data-testid="unrecorded-sends">
            <thead>
              <tr>
                <th>Item</th>
                <th>Event</th>
                <th>Answer</th>
                <th>At</th>
              </tr>
            </thead>
            <tbody>
              {health.unrecorded.map((u) => (
                <tr key={u.itemId}>
                  <td className="num">{u.itemId}</td>
                  <td>{u.eventKey}</td>
                  <td>
                    {u.outcome} {u.status !== null ? `(${u.status})` : ''}, not recorded
                  </td>
                  <td>{formatTime(u.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section className="card" aria-label="Backups">
        <h3>Backups</h3>
        <p className="small muted">
          The first as soon as a store is saved, then daily and before each update of the database, the newest few kept, in <code>{health.backupsDir}</code>.
        </p>
        <div className="row">
          <button type="button" disabled={busy || health.backups.length === 0} onClick={() => void restore()} data-testid="restore-newest">
            Restore the newest good backup
          </button>
          <button type="button" disabled={busy || health.damaged !== null} onClick={() => void run(async () => void (await api.dataHealth.backupNow({})), 'Backup taken.').then(refresh)}>
            Back up now
          </button>
        </div>
        {note !== null && (
          <p role="status" className="small" data-testid="data-health-note">
            {note}
          </p>
        )}
        {health.backups.length === 0 ? (
          <p className="muted" data-testid="no-backup-yet">No backup yet: the first is taken as soon as a store is saved.</p>
        ) : (
          <table className="table" data-testid="backups">
            <thead>
              <tr>
                <th>Taken</th>
                <th>Why</th>
                <th className="num">Size</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {health.backups.map((b) => (
                <tr key={b.name}>
                  <td title={b.name}>{formatTime(b.createdAt)}</td>
                  <td>{b.reason}</td>
                  <td className="num">{kb(b.sizeBytes)}</td>
                  <td>
                    <button type="button" className="link" disabled={busy} onClick={() => void restore(b.name)}>
                      Restore
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
