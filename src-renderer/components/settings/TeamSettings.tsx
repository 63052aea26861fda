/**
 * Settings → Team: the team database connection (URL, TLS mode and CA file), the agent's display
 * name and the team passphrase; what team mode is doing; teammates' queued sends.
 */
import { useEffect, useState } from 'react';
import type { TeamStatus } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { useTeam } from '../../state/team';
import { formatTime } from '../format';
import { useAction } from '../useAction';
import { TeamOwnerPanel } from './TeamOwnerPanel';
import { leaveConfirm } from '../../../src-shared/teamPrompts';

type TlsMode = TeamStatus['tlsMode'];

const SAVED = 'Saved.';

export function TeamSettings(): React.JSX.Element {
  const status = useTeam((s) => s.status);
  useEffect(() => {
    void useTeam.getState().refresh();
  }, []);
  if (status === null) return <p className="muted">Loading…</p>;
  // The form starts from what is saved (the URL without its password: it is never shown).
  return <TeamScreen key={status.configured ? 'configured' : 'alone'} status={status} />;
}

function TeamScreen(props: { status: TeamStatus }): React.JSX.Element {
  const status = useTeam((s) => s.status) ?? props.status;
  const agents = useTeam((s) => s.agents);
  const [url, setUrl] = useState(props.status.url ?? '');
  const [tlsMode, setTlsMode] = useState<TlsMode>(props.status.tlsMode);
  const [caFile, setCaFile] = useState(props.status.caFile ?? '');
  const [agentName, setAgentName] = useState(props.status.agentName ?? '');
  const [passphrase, setPassphrase] = useState('');
  const connect = useAction();
  const unlock = useAction();
  const [teammatesOutbox, setTeammatesOutbox] = useState<Awaited<ReturnType<typeof api.team.teammatesOutbox>>>([]);
  const configured = status.configured;
  useEffect(() => {
    if (configured) void api.team.teammatesOutbox({}).then(setTeammatesOutbox).catch(() => undefined);
  }, [configured, status.lastSyncAt]);

  return (
    <div className="team-settings" data-testid="team-settings">
      <h2>Team</h2>
      <p className="muted">
        Share stores, their settings and history with your team through a PostgreSQL team database. This console keeps working offline; changes go up when the
        database is reachable. API keys and signing tokens leave this laptop only encrypted under the team passphrase.
      </p>
      {/* A refused save is what the agent needs to read first: it takes the status banner's place until fixed. */}
      {connect.failed && connect.note !== null ? (
        <p className="banner error" role="alert" data-testid="team-connect-refused">
          {connect.note}
        </p>
      ) : (
        status.configured && <StatusCard status={status} />
      )}
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          // A new address is not a new team: the database says which team it holds, and the status
          // card asks first when it is another one (status.otherTeam).
          void connect.run(async () => {
            await api.team.configure({ url, tlsMode, caFile: caFile.trim() === '' ? null : caFile.trim(), agentName });
            await useTeam.getState().refresh();
          }, SAVED);
        }}
      >
        <h3>Connection</h3>
        <label>
          Team database URL
          <input value={url} onChange={(e) => { setUrl(e.target.value); connect.setNote(null); }} placeholder="postgres://agent:password@host:5432/team" data-testid="team-url" autoComplete="off" />
          <span className="hint">The line `npm run team-db` prints, or your team lead’s. A saved password is kept encrypted and not shown: leave it out to keep it.</span>
        </label>
        <label>
          TLS
          <select value={tlsMode} onChange={(e) => setTlsMode(e.target.value as TlsMode)} data-testid="team-tls">
            <option value="disable">Off (a database on this machine or a trusted network)</option>
            <option value="require">Required (encrypted, certificate not checked)</option>
            <option value="verify-full">Verified (encrypted, certificate checked)</option>
          </select>
        </label>
        {tlsMode === 'verify-full' && (
          <label>
            CA file
            <input value={caFile} onChange={(e) => setCaFile(e.target.value)} placeholder="/path/to/ca.pem (empty: the system's)" data-testid="team-ca" />
          </label>
        )}
        <label>
          Your name on this console
          <input value={agentName} onChange={(e) => setAgentName(e.target.value)} data-testid="team-agent" maxLength={80} />
          <span className="hint">Teammates see the name your team’s owner gave your database login; this one is shown here until connected.</span>
        </label>
        <div className="actions">
          {configured && (
            <button type="button" disabled={connect.busy} onClick={() => {
              if (!window.confirm(leaveConfirm(status.pending))) return;
              void connect.run(async () => { await api.team.leave({}); await useTeam.getState().refresh(); }, 'Left the team. This console works alone.');
            }}>
              Leave team
            </button>
          )}
          <button type="submit" className="primary" disabled={connect.busy} data-testid="team-connect">
            {configured ? 'Save and reconnect' : 'Join team'}
          </button>
        </div>
        {connect.note !== null && !connect.failed && (
          <p role="status" className="small" data-testid="team-connect-note">
            {/* After a save, the note follows the connection rather than saying "Connecting…" for ever. */}
            {connect.note === SAVED ? (status.state === 'connected' ? 'Saved and connected.' : status.state === 'offline' ? 'Saved, not connected yet: see the status above.' : 'Saved. Connecting…') : connect.note}
          </p>
        )}
      </form>
      {configured && (
        <form
          className="card form"
          onSubmit={(e) => {
            e.preventDefault();
            void unlock.run(async () => {
              await api.team.setPassphrase({ passphrase });
              setPassphrase('');
              await useTeam.getState().refresh();
            }, 'Passphrase accepted: shared keys can be used here.');
          }}
        >
          <h3>Team passphrase</h3>
          <p className="small muted">
            {status.unlocked
              ? 'Entered on this console. Shared keys and signing tokens can be used here.'
              : 'Needed to use keys your teammates shared, and to share yours. The first teammate to enter one sets it for the team.'}
          </p>
          <label>
            Passphrase
            <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" data-testid="team-passphrase" />
          </label>
          <div className="actions">
            <button type="submit" className="primary" disabled={unlock.busy || passphrase === ''} data-testid="team-unlock">
              Enter passphrase
            </button>
          </div>
          {unlock.note !== null && (
            <p role={unlock.failed ? 'alert' : 'status'} className={unlock.failed ? 'field-error' : 'small'} data-testid="team-unlock-note">
              {unlock.note}
            </p>
          )}
        </form>
      )}
      {configured && status.owner && <TeamOwnerPanel lastSyncAt={status.lastSyncAt} />}
      {configured && (
        <div className="card">
          <h3>Teammates</h3>
          <ul className="small">
            {agents.map((a) => (
              <li key={a.id}>{a.name}{a.me ? ' (you)' : ''}</li>
            ))}
          </ul>
          <h3>Teammates’ queued sends</h3>
          <p className="small muted">Only the console that queued a send sends it (Postscript does not de-duplicate: a second send would text a real phone).</p>
          {teammatesOutbox.length === 0 ? (
            <p className="small muted">None waiting.</p>
          ) : (
            <ul className="small" data-testid="teammates-outbox">
              {teammatesOutbox.map((o) => (
                <li key={o.externalId}>
                  {o.agent}: {o.eventKey} · {o.state} · {formatTime(o.createdAt)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function StatusCard(props: { status: TeamStatus }): React.JSX.Element {
  const s = props.status;
  const reconnect = useAction();
  return (
    <div className={`card banner ${s.state === 'connected' ? '' : 'warning'}`} role="status" data-testid="team-status-card">
      <strong>{s.state === 'connected' ? 'Connected' : s.state === 'offline' ? `Offline since ${s.offlineSince === null ? '—' : formatTime(s.offlineSince)}` : 'Connecting…'}</strong>
      {' · '}
      {s.pending === 0 ? 'everything is up' : `${s.pending} change${s.pending === 1 ? '' : 's'} waiting to go up`}
      {s.waitingForPassphrase > 0 && ` (${s.waitingForPassphrase} wait for the team passphrase)`}
      {s.lastSyncAt !== null && <span className="small muted"> · last sync {formatTime(s.lastSyncAt)}</span>}
      {s.message !== null && <p className="small" data-testid="team-message">{s.message}</p>}
      {s.lastRejected !== null && <p className="small fail">{s.lastRejected} ({s.rejected} in all; kept, not applied)</p>}
      {s.otherTeam !== null && (
        <button type="button" disabled={reconnect.busy} data-testid="team-start-over" onClick={() => void reconnect.run(() => api.team.confirmOtherTeam({}))}>
          Start over with this team
        </button>
      )}
      {s.state === 'offline' && s.otherTeam === null && (
        <button type="button" disabled={reconnect.busy} onClick={() => void reconnect.run(() => api.team.reconnect({}))}>
          Try now
        </button>
      )}
    </div>
  );
}
