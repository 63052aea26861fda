import { useEffect, useState } from 'react';
import { api } from '../api';
import { useOutbox } from '../state/outbox';
import { useStores } from '../state/stores';
import { useNow, WaitNote } from './WaitNote';

/** Shown after this long offline, hidden after this long back online: a flapping link does not flicker. */
export const OFFLINE_SHOW_AFTER_MS = 1500;
export const OFFLINE_HIDE_AFTER_MS = 3000;

/** `value`, but changing only once it has held for the given time (separately for on and off). */
function useSettled(value: boolean, onAfterMs: number, offAfterMs: number): boolean {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (value === settled) return;
    const t = setTimeout(() => setSettled(value), value ? onAfterMs : offAfterMs);
    return () => clearTimeout(t);
  }, [value, settled, onAfterMs, offAfterMs]);
  return settled;
}


/** Says when sends are waiting for a connection, when the next try is, and offers to try now. */
export function OutboxBanner(): React.JSX.Element | null {
  const status = useOutbox((s) => s.status);
  // Postscript out of reach matters while something waits for it or a live store may send.
  const liveInUse = useStores((s) => s.directory.some((e) => e.account === 'live' && !e.archived));
  const offlineNow = status !== null && !status.online && (status.waiting > 0 || liveInUse);
  const offline = useSettled(offlineNow, OFFLINE_SHOW_AFTER_MS, OFFLINE_HIDE_AFTER_MS);
  const now = useNow(offline);
  const [retrying, setRetrying] = useState(false);
  if (status === null) return null;
  if (offline) {
    const next = status.offline
      .map((o) => (o.nextTryAt === null ? null : Date.parse(o.nextTryAt)))
      .filter((t): t is number => t !== null)
      .sort((a, b) => a - b)[0];
    const inSeconds = next === undefined ? null : Math.max(0, Math.ceil((next - now) / 1000));
    const reasons = [...new Set(status.offline.map((o) => o.reason))];
    return (
      <div className="banner warning" role="status" data-testid="offline-banner">
        {offlineNow ? (
          <>
            Offline: Postscript cannot be reached ({status.offline.map((o) => o.endpoint).join(', ')}). {status.waiting} send{status.waiting === 1 ? '' : 's'} waiting; they go
            out by themselves when the connection is back.{' '}
            {inSeconds !== null && <span data-testid="offline-next-try">{inSeconds === 0 ? 'Trying now…' : `Next try in ${inSeconds} s.`}</span>}
            {reasons.length > 0 && <span className="small"> {reasons.join(' ')}</span>}
          </>
        ) : (
          <>Back online: sending what waited.</>
        )}
        {offlineNow && (
          <button
            type="button"
            className="link offline-banner-actions"
            disabled={retrying}
            data-testid="offline-retry-now"
            onClick={() => {
              setRetrying(true);
              void api.outbox
                .retryNow({})
                .then(() => useOutbox.getState().refreshStatus())
                .finally(() => setRetrying(false));
            }}
          >
            Retry now
          </button>
        )}
      </div>
    );
  }
  if (status.held !== null && status.waiting > 0) {
    // Sending is held by the app itself ("paused: disk full"): say so, not "Sending…".
    return (
      <div className="banner warning" role="status" data-testid="outbox-banner" data-held={status.held.kind}>
        {status.waiting} send{status.waiting === 1 ? '' : 's'} waiting. <WaitNote wait={status.held} testId="outbox-wait" />
      </div>
    );
  }
  if (status.online && status.waiting === 0) return null;
  const sending = status.waiting - status.paused;
  // Why they wait when it is Postscript's answer (429, 5xx); offline has its own banner above.
  const why = status.waits.find((w) => w.kind === 'rate_limited' || w.kind === 'server_error');
  if (sending <= 0) {
    // Nothing sending and nothing paused (waiting counts can lag the batches'): nothing to say.
    if (status.paused === 0) return null;
    return (
      <div className="banner info" role="status" data-testid="outbox-banner">
        {status.paused} send{status.paused === 1 ? '' : 's'} held in paused batches: resume the batch on the Batches screen to send {status.paused === 1 ? 'it' : 'them'}.
      </div>
    );
  }
  return (
    <div className="banner info" role="status" data-testid="outbox-banner">
      Sending… {sending} waiting in the outbox{status.paused > 0 ? ` (and ${status.paused} held in paused batches)` : ''}.
      {why !== undefined && (
        <>
          {' '}
          <WaitNote wait={why} testId="outbox-wait" />
        </>
      )}
    </div>
  );
}
