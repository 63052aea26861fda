/** Always in the sidebar: connected, offline since when, and how many changes wait to go up. */
import { useTeam } from '../../state/team';
import { formatTime } from '../format';

export function TeamStatusLine(props: { onOpen: () => void }): React.JSX.Element | null {
  const status = useTeam((s) => s.status);
  if (status === null || !status.configured) return null;
  const waiting = status.pending > 0 ? ` · ${status.pending} change${status.pending === 1 ? '' : 's'} waiting to go up` : '';
  const text =
    status.state === 'connected'
      ? `Team: connected${waiting}`
      : status.state === 'offline'
        ? `Team: offline since ${status.offlineSince === null ? '—' : formatTime(status.offlineSince)}${waiting}`
        : `Team: connecting…${waiting}`;
  return (
    <button type="button" className={`team-status ${status.state}`} data-testid="team-status" data-state={status.state} onClick={props.onOpen} title={status.message ?? undefined}>
      {text}
      {!status.unlocked && <span className="small"> · passphrase needed</span>}
      {status.rejected > 0 && <span className="small"> · {status.rejected} not applied</span>}
    </button>
  );
}
