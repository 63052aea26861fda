/** In team mode, on a store's page: who changed what and when (newest first). */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useTeam } from '../../state/team';
import { formatTime } from '../format';

type Entry = Awaited<ReturnType<typeof api.team.storeHistory>>[number];

export function StoreTeamHistory(props: { storeId: string; updatedAt: string | undefined }): React.JSX.Element | null {
  const teamOn = useTeam((s) => s.status?.configured === true);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!teamOn || !open) return;
    let live = true;
    api.team.storeHistory({ storeId: props.storeId }).then(
      (rows) => live && setEntries(rows),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [teamOn, open, props.storeId, props.updatedAt]);
  if (!teamOn) return null;
  return (
    <section className="card" aria-label="Changes by the team">
      <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary>Who changed what</summary>
        {entries.length === 0 ? (
          <p className="small muted">No changes recorded since this console joined the team.</p>
        ) : (
          <ul className="small" data-testid="store-history">
            {entries.map((e, i) => (
              <li key={i} data-replaced={e.replaced !== undefined ? 'true' : undefined}>
                {formatTime(e.at)} · {e.agent} · {e.field}
                {e.replaced !== undefined && ` set to ${e.replaced.value}, replaced by ${e.replaced.by}’s ${e.replaced.byValue} (${formatTime(e.replaced.at)}), made at the same time`}
              </li>
            ))}
          </ul>
        )}
      </details>
    </section>
  );
}
