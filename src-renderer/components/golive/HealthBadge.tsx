/** A store's health in the stores list: shown when it needs attention, or has not been checked yet. */
import { needsAttention, useStoreHealth } from '../../state/storeHealth';
import './golive.css';

export function HealthBadge(props: { storeId: string }): React.JSX.Element | null {
  const health = useStoreHealth((s) => s.byStore[props.storeId]);
  const unchecked = useStoreHealth((s) => s.watch?.notYetChecked.some((x) => x.storeId === props.storeId) ?? false);
  if (unchecked) {
    // Saved while Postscript was out of reach: the watch waits for that check, and says so.
    return (
      <span className="badge" data-testid="health-badge" data-status="unchecked" title="Saved while Postscript was out of reach; the health watch checks it once the app has checked its key.">
        Not yet checked
      </span>
    );
  }
  if (health === undefined || !needsAttention(health.status)) return null;
  return (
    <span className={`badge health-${health.status}`} data-testid="health-badge" data-status={health.status} title={health.problems.join(' ')}>
      {health.status === 'red' ? 'Needs attention' : 'Check soon'}
    </span>
  );
}
