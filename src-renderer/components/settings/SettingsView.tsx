import { useEffect } from 'react';
import { useSettings } from '../../state/settings';
import { SETTINGS_SECTIONS } from './sections';

/** Settings, one card per section (sections.ts lists them). */
export function SettingsView(): React.JSX.Element {
  useEffect(() => {
    void useSettings.getState().refresh();
  }, []);
  return (
    <div className="settings-view" data-testid="settings">
      <h2>Settings</h2>
      <p className="muted">Saved on this computer. A value set by an environment variable wins over the one here; each field says when that is so.</p>
      {SETTINGS_SECTIONS.map(({ id, title, Component }) => (
        <section key={id} className="card" aria-label={title} data-testid={`settings-${id}`}>
          <h3>{title}</h3>
          <Component />
        </section>
      ))}
    </div>
  );
}
