import { useState } from 'react';
import type { SettingsView } from '../../../src-shared/ipc/contract';
import { useSettings } from '../../state/settings';
import { orNull, SavedNote, SettingInput } from './SettingField';
import { useSectionSave } from './useSectionSave';

/** Where Postscript's webhooks (SKIP replies) are received; moved at once when saved. */
export function ListenerSection(): React.JSX.Element {
  const view = useSettings((s) => s.view);
  return view === null ? <p className="muted">Loading…</p> : <ListenerForm view={view} />;
}

function ListenerForm({ view }: { view: SettingsView }): React.JSX.Element {
  const [draft, setDraft] = useState(() => ({ host: view.listenerHost.saved ?? '', port: view.listenerPort.saved ?? '' }));
  const { busy, saved, error, save } = useSectionSave();
  const err = (field: string): string | null => (error !== null && error.field === field ? error.message : null);
  const portText = draft.port.trim();
  const portError = portText !== '' && !/^\d{1,5}$/.test(portText) ? 'A port is a whole number from 0 to 65535.' : null;
  return (
    <form
      className="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (portError !== null) return;
        void save({ listenerHost: orNull(draft.host), listenerPort: portText === '' ? null : Number(portText) }, 'Saved. The listener moved.');
      }}
    >
      <div className="setting-row">
        <SettingInput id="listenerHost" label="Host" hint="127.0.0.1 keeps it on this computer" value={draft.host} onChange={(v) => setDraft({ ...draft, host: v })} field={view.listenerHost} error={err('listenerHost')} placeholder="127.0.0.1" />
        <SettingInput id="listenerPort" label="Port" hint="0 takes any free port" value={draft.port} onChange={(v) => setDraft({ ...draft, port: v })} field={view.listenerPort} error={portError ?? err('listenerPort')} placeholder="47290" />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || portError !== null} data-testid="save-listener">
          Save
        </button>
      </div>
      <SavedNote text={saved} />
    </form>
  );
}
