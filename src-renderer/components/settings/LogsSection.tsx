import { useState } from 'react';
import { useSettings } from '../../state/settings';
import { SavedNote, SettingInput } from './SettingField';
import { useSectionSave } from './useSectionSave';

/** How long the delivery log keeps attempts (older ones are pruned in the background). */
export function LogsSection(): React.JSX.Element {
  const view = useSettings((s) => s.view);
  return view === null ? <p className="muted">Loading…</p> : <LogsForm retentionDays={view.retentionDays} />;
}

function LogsForm({ retentionDays }: { retentionDays: number }): React.JSX.Element {
  const [days, setDays] = useState(() => String(retentionDays));
  const { busy, saved, error, save } = useSectionSave();
  const bad = !/^\d{1,4}$/.test(days.trim()) || Number(days) < 1 || Number(days) > 3650 ? 'Keep from 1 to 3650 days.' : null;
  return (
    <form
      className="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (bad === null) void save({ retentionDays: Number(days) }, 'Saved. Older attempts are pruned in the background.');
      }}
    >
      <SettingInput id="retentionDays" label="Keep attempts for (days)" value={days} onChange={setDays} error={bad ?? (error?.message ?? null)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || bad !== null} data-testid="save-logs">
          Save
        </button>
      </div>
      <SavedNote text={saved} />
    </form>
  );
}
