/** In team mode, under each store: who set it up and who touched it last, when. */
import { useTeam } from '../../state/team';
import { formatTime } from '../format';

export function StoreTeamLine(props: { storeId: string }): React.JSX.Element | null {
  const teamOn = useTeam((s) => s.status?.configured === true);
  const a = useTeam((s) => s.activity[props.storeId]);
  if (!teamOn || a === undefined) return null;
  const by = a.createdByMe ? 'you' : (a.createdBy ?? 'a teammate');
  return (
    <span className="small store-team" data-testid="store-team">
      set up by {by}
      {a.lastBy !== null && a.lastAt !== null && ` · last change ${a.lastBy}, ${formatTime(a.lastAt)}`}
    </span>
  );
}
