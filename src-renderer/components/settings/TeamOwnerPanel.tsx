/**
 * Settings → Team, for the team's owner only (this console signs in with the owner's URL): the
 * team's agents, each with a login of their own; adding one (their URL is shown once, to hand
 * over), removing one (their login and open sessions end), and rotating the team key afterwards,
 * with the merchants' Postscript keys the removed agent could have read.
 */
import { useEffect, useState } from 'react';
import type { KeyRotation, OwnerAgent } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { formatTime } from '../format';
import { useAction } from '../useAction';

export function TeamOwnerPanel(props: { lastSyncAt: string | null }): React.JSX.Element {
  const [agents, setAgents] = useState<OwnerAgent[]>([]);
  const [name, setName] = useState('');
  const [handOver, setHandOver] = useState<{ name: string; url: string } | null>(null);
  const [newPassphrase, setNewPassphrase] = useState('');
  const [rotation, setRotation] = useState<KeyRotation | null>(null);
  const [removedSinceRotation, setRemovedSinceRotation] = useState(false);
  const add = useAction();
  const remove = useAction();
  const rotate = useAction();
  const reload = (): Promise<void> => api.team.ownerAgents({}).then(setAgents);
  useEffect(() => {
    void reload().catch(() => undefined);
  }, [props.lastSyncAt]);

  return (
    <div className="card" data-testid="team-owner">
      <h3>Agents (you are the team’s owner)</h3>
      <p className="small muted">Each agent signs in with a login of their own; the team database records who wrote each row from it.</p>
      <ul className="small" data-testid="team-owner-agents">
        {agents.map((a) => (
          <li key={a.role}>
            {a.displayName} <span className="muted">({a.role})</span>
            {a.removedAt === null ? (
              <button
                type="button"
                className="link"
                disabled={remove.busy}
                aria-label={`Remove ${a.displayName}`}
                onClick={() => {
                  if (!window.confirm(`Remove ${a.displayName}? Their login stops working and their open sessions end now. Then rotate the team key: they may have kept it.`)) return;
                  void remove.run(async () => {
                    const r = await api.team.removeAgent({ role: a.role });
                    setRemovedSinceRotation(true);
                    await reload();
                    return r;
                  }, `${a.displayName} was removed (${a.role}). Rotate the team key below.`);
                }}
              >
                Remove
              </button>
            ) : (
              <span className="muted"> · removed {formatTime(a.removedAt)}</span>
            )}
          </li>
        ))}
      </ul>
      {remove.note !== null && <p role={remove.failed ? 'alert' : 'status'} className={remove.failed ? 'field-error' : 'small'}>{remove.note}</p>}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void add.run(async () => {
            const r = await api.team.addAgent({ name });
            setHandOver({ name, url: r.url });
            setName('');
            await reload();
          }, 'Added.');
        }}
      >
        <label>
          New agent’s name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} data-testid="team-owner-name" />
        </label>
        <div className="actions">
          <button type="submit" disabled={add.busy || name.trim() === ''} data-testid="team-owner-add">Add agent</button>
        </div>
        {add.failed && add.note !== null && <p role="alert" className="field-error">{add.note}</p>}
        {handOver !== null && (
          <p className="small" role="status" data-testid="team-owner-handover">
            Give {handOver.name} this URL (shown once; it holds their own password): <code>{handOver.url}</code>
          </p>
        )}
      </form>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!window.confirm('Rotate the team key? Every teammate then needs the new passphrase to use shared keys.')) return;
          void rotate.run(async () => {
            setRotation(await api.team.rotateKey({ newPassphrase }));
            setNewPassphrase('');
            setRemovedSinceRotation(false);
          }, 'The team key was rotated.');
        }}
      >
        <h3>Rotate the team key</h3>
        <p className="small muted">
          {removedSinceRotation ? 'You removed an agent: rotate now. ' : ''}
          A new key under a new passphrase; every shared key and signing token is encrypted again under it, and the old passphrase opens nothing written after.
        </p>
        <label>
          New team passphrase
          <input type="password" value={newPassphrase} onChange={(e) => setNewPassphrase(e.target.value)} autoComplete="off" data-testid="team-owner-passphrase" />
        </label>
        <div className="actions">
          <button type="submit" disabled={rotate.busy || newPassphrase.length < 8} data-testid="team-owner-rotate">Rotate team key</button>
        </div>
        {rotate.failed && rotate.note !== null && <p role="alert" className="field-error">{rotate.note}</p>}
      </form>
      {rotation !== null && (
        <div role="status" data-testid="team-owner-rotation">
          <p className="small">
            Team key version {rotation.version}: {rotation.reencrypted} shared secret{rotation.reencrypted === 1 ? '' : 's'} encrypted again
            {rotation.unreadable > 0 ? `; ${rotation.unreadable} could not be opened with the current key and were left as they were` : ''}. Give teammates the new passphrase.
          </p>
          <p className="small">
            Old copies cannot be unread: whoever was removed may have kept these merchants’ Postscript keys. Rotate each at Postscript (Settings → API), then enter the new key on the store’s page.
          </p>
          <ul className="small" data-testid="team-owner-keys">
            {rotation.keysToRotate.map((k) => (
              <li key={k.storeId}>{k.storeName}{k.mask === null ? '' : ` (${k.mask})`}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
