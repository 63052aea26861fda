/**
 * Keeps the stores' health current and tells the agent when a store turns red: a banner in the
 * window, and a desktop notification through the browser's Notification API when main could not
 * show one itself (the browser shell; Electron's main process notifies on its own).
 */
import { useEffect, useState } from 'react';
import type { HealthAlert } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { standingAlerts, useStoreHealth } from '../../state/storeHealth';
import { useRoute } from '../../state/route';

function notifyDesktop(alert: HealthAlert): void {
  if (alert.notified || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(`${alert.storeName} needs attention`, { body: alert.problems.join(' '), tag: `health-${alert.storeId}` });
  } catch {
    // Some browsers only notify from a service worker: the banner below still says it.
  }
}

export function HealthAlerts(): React.JSX.Element | null {
  const [alerts, setAlerts] = useState<HealthAlert[]>([]);
  useEffect(() => {
    void useStoreHealth.getState().refresh();
    const offChanged = api.on('changed', ({ topics }) => {
      if (topics.includes('storeHealth')) void useStoreHealth.getState().refresh();
    });
    const offAlert = api.on('healthAlert', (alert) => {
      notifyDesktop(alert);
      setAlerts((list) => [...list.filter((a) => a.storeId !== alert.storeId), alert].slice(-3));
    });
    return () => {
      offChanged();
      offAlert();
    };
  }, []);
  // An alert stands while the store is red in the same health the "Needs attention" count reads:
  // a replaced key that was accepted since clears it, and no banner is up while the count is 0.
  const byStore = useStoreHealth((st) => st.byStore);
  const current = standingAlerts(alerts, byStore);
  if (current.length === 0) return null;
  return (
    <>
      {current.map((a) => (
        <div key={a.storeId} role="alert" className="banner error" data-testid="health-alert">
          {a.storeName} needs attention: {a.problems.join(' ')}{' '}
          <button type="button" className="link" onClick={() => useRoute.getState().go({ tab: 'stores', storeId: a.storeId, adding: false })}>
            Open
          </button>{' '}
          <button type="button" className="link" onClick={() => setAlerts((list) => list.filter((x) => x !== a))}>
            Dismiss
          </button>
        </div>
      ))}
    </>
  );
}
