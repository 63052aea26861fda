import { useHealth } from '../state/health';

/** A banner while the disk is full or the database is damaged, with the way to the Data health screen. */
export function DataHealthBanner(props: { onOpen: () => void }): React.JSX.Element | null {
  const health = useHealth((s) => s.health);
  if (health === null || (health.damaged === null && health.diskFull === null && health.cannotWrite === null && health.unrecorded.length === 0)) return null;
  const message = health.damaged?.message ?? health.diskFull?.message ?? health.cannotWrite?.message ?? `${health.unrecorded.length} send(s) reached Postscript but are not recorded yet.`;
  return (
    <div role="alert" className="banner error" data-testid="data-health-banner">
      {message}{' '}
      <button type="button" className="link" onClick={props.onOpen}>
        Open Data health
      </button>
    </div>
  );
}
