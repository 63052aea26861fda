import { useEffect, useState } from 'react';
import { api } from '../api';

interface Alert {
  level: 'error' | 'warning' | 'info';
  message: string;
  at: string;
}

/** What main had to tell the agent (an error that escaped its guard, a full disk): the last few, each dismissable. */
export function AlertBanner(): React.JSX.Element | null {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  useEffect(() => api.on('alert', (a) => setAlerts((list) => [...list.filter((x) => x.message !== a.message), a].slice(-3))), []);
  if (alerts.length === 0) return null;
  return (
    <>
      {alerts.map((a) => (
        <div key={`${a.at}${a.message}`} role="alert" className={`banner ${a.level}`} data-testid="app-alert">
          {a.message}{' '}
          <button type="button" className="link" onClick={() => setAlerts((list) => list.filter((x) => x !== a))}>
            Dismiss
          </button>
        </div>
      ))}
    </>
  );
}
