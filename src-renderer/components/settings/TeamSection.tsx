/** Settings → Team: where the team database stands, and the way to the Team screen that sets it up. */
import { useTeam } from '../../state/team';
import { useRoute } from '../../state/route';

export function TeamSection(): React.JSX.Element {
  const status = useTeam((s) => s.status);
  const go = useRoute((s) => s.go);
  const state =
    status === null || !status.configured
      ? 'Not in a team: this console works alone (its data stays on this computer).'
      : status.state === 'connected'
        ? `Connected to the team database${status.pending > 0 ? `; ${status.pending} changes waiting to go up` : ''}.`
        : status.state === 'offline'
          ? 'The team database cannot be reached; changes wait here and go up when it is back.'
          : 'Connecting to the team database…';
  return (
    <div className="inline-form">
      <p className="muted" data-testid="settings-team-state">
        {state}
      </p>
      <button type="button" onClick={() => go({ tab: 'team' })}>
        {status?.configured === true ? 'Team settings' : 'Join a team'}
      </button>
    </div>
  );
}
