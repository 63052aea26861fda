/** A store's health in the stores list: shown only when it needs attention. */
import { needsAttention, useStoreHealth } from '../../state/storeHealth';
import './golive.css';

export function HealthBadge(props: { storeId: string }): React.JSX.Element | null {
  const health = useStoreHealth((s) => s.byStore[props.storeId]);
  if (health === undefined || !needsAttention(health.status)) return null;
  return (
    <span className={`badge health-${health.status}`} data-testid="health-badge" data-status={health.status} title={health.problems.join(' ')}>
      {health.status === 'red' ? 'Needs attention' : 'Check soon'}
    </span>
  );
}
