/**
 * Above the stores list: the "needs attention" filter, and the health watch's schedule (how often,
 * how recent a delivered event must be), a run on demand, and desktop notifications.
 */
import { useMemo, useState } from 'react';
import type { WatchStatus } from '../../../src-shared/ipc/contract';
import { overrideNote, scheduleText } from '../../../src-shared/healthSchedule';
import { api } from '../../api';
import { attentionCount, useStoreHealth } from '../../state/storeHealth';
import { useStores } from '../../state/stores';
import { formatTime } from '../format';
import { useAction } from '../useAction';
import './golive.css';

export function HealthWatchBar(): React.JSX.Element {
  const watch = useStoreHealth((s) => s.watch);
  const byStore = useStoreHealth((s) => s.byStore);
  const attentionOnly = useStoreHealth((s) => s.attentionOnly);
  const setAttentionOnly = useStoreHealth((s) => s.setAttentionOnly);
  const directory = useStores((s) => s.directory);
  const count = useMemo(() => attentionCount(directory, byStore), [directory, byStore]);
  return (
    <div className="watch-bar small">
      <label className="inline">
        <input type="checkbox" checked={attentionOnly} onChange={(e) => setAttentionOnly(e.target.checked)} data-testid="filter-attention" /> Needs attention ({count})
      </label>
      <NotificationPermission />
      {watch !== null && (
        <details data-testid="health-watch">
          <summary>
            Health watch: {scheduleText(watch)}
            {watch.running && ' · checking…'}
          </summary>
          {/* Remounted when the saved settings change, so the fields show them. */}
          <WatchSettingsForm key={`${watch.settings.intervalMinutes}/${watch.settings.successWithinDays}`} watch={watch} />
        </details>
      )}
    </div>
  );
}

/** Browsers ask once, from a click: a store turning red later notifies without asking. */
function NotificationPermission(): React.JSX.Element | null {
  const [permission, setPermission] = useState(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  if (permission !== 'default') return null;
  return (
    <button type="button" className="link" onClick={() => void Notification.requestPermission().then(setPermission)} data-testid="allow-notifications">
      Turn on desktop notifications
    </button>
  );
}

function WatchSettingsForm(props: { watch: WatchStatus }): React.JSX.Element {
  const { watch } = props;
  const [interval, setIntervalText] = useState(String(watch.settings.intervalMinutes / 60));
  const [days, setDays] = useState(String(watch.settings.successWithinDays));
  const { busy, note, run } = useAction();
  const apply = useStoreHealth.getState().apply;
  return (
    <form
      className="watch-bar"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => apply(await api.readiness.setWatch({ intervalMinutes: Math.round(Number(interval) * 60), successWithinDays: Number(days) })), 'Saved.');
      }}
    >
      <label className="inline">
        <input type="checkbox" checked={watch.settings.enabled} onChange={(e) => void run(async () => apply(await api.readiness.setWatch({ enabled: e.target.checked })))} /> Re-check active stores
      </label>
      <div className="row">
        every <input type="number" min={0.1} step="any" value={interval} onChange={(e) => setIntervalText(e.target.value)} aria-label="Hours between checks" /> h
      </div>
      <div className="row">
        an event within <input type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} aria-label="Days without a delivered event" /> days
      </div>
      <div className="row">
        <button type="submit" disabled={busy}>
          Save
        </button>
        <button type="button" disabled={busy} onClick={() => void run(async () => apply(await api.readiness.runWatch({})), 'Checked every active store.')} data-testid="watch-run-now">
          Check all now
        </button>
      </div>
      <span className="muted">
        Last run {watch.lastRunAt === null ? 'never' : formatTime(watch.lastRunAt)}
        {watch.nextRunAt !== null && `; next ${formatTime(watch.nextRunAt)}`}
      </span>
      {watch.intervalOverride !== null && (
        <span className="muted watch-override" data-testid="watch-override">
          {overrideNote(watch)}
        </span>
      )}
      {watch.notYetChecked.length > 0 && (
        <span className="muted" data-testid="watch-not-yet-checked">
          Not yet checked: {watch.notYetChecked.map((s) => s.storeName).join(', ')} (saved while Postscript was out of reach). The watch skips them until the app has checked them with Postscript.
        </span>
      )}
      {watch.waitingFor.length > 0 && <span className="warning-text">Waiting for Postscript to answer again ({watch.waitingFor.join(', ')}); no store is marked red for it.</span>}
      {note !== null && <span role="status">{note}</span>}
    </form>
  );
}
