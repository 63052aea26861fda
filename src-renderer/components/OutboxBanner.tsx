import { useOutbox } from '../state/outbox';

/** Says when sends are waiting for a connection; disappears when they drain. */
export function OutboxBanner(): React.JSX.Element | null {
  const status = useOutbox((s) => s.status);
  if (status === null || (status.online && status.waiting === 0)) return null;
  if (!status.online) {
    return (
      <div className="banner warning" role="status" data-testid="offline-banner">
        Offline: Postscript cannot be reached ({status.offline.map((o) => o.endpoint).join(', ')}). {status.waiting} send{status.waiting === 1 ? '' : 's'} waiting; they go out by
        themselves when the connection is back.
      </div>
    );
  }
  return (
    <div className="banner info" role="status" data-testid="outbox-banner">
      Sending… {status.waiting} waiting in the outbox.
    </div>
  );
}
