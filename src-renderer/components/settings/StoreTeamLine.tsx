/** In team mode, under each store: who set it up and who touched it last, when. */
import { useTeam } from '../../state/team';
import { formatTime } from '../format';

export function StoreTeamLine(props: { storeId: string }): React.JSX.Element | null {
  const teamOn = useTeam((s) => s.status?.configured === true);
  const a = useTeam((s) => s.activity[props.storeId]);
  if (!teamOn || a === undefined) return null;
  const by = a.createdByMe ? 'you' : (a.createdBy ?? 'a teammate');
  const text = `set up by ${by}${a.lastBy !== null && a.lastAt !== null ? ` · last change ${a.lastBy}, ${formatTime(a.lastAt)}` : ''}`;
  // The list's entries are narrow: the line is cut with an ellipsis and says all of it on hover.
  return (
    <span className="small store-team cut" data-testid="store-team" title={text}>
      {text}
    </span>
  );
}
