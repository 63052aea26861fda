import { useState } from 'react';
import type { ConnectionCheck, SettingsView } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { useSettings } from '../../state/settings';
import { orNull, SavedNote, SettingInput } from './SettingField';
import { useSectionSave } from './useSectionSave';

interface Draft {
  liveBaseUrl: string;
  proxyUrl: string;
  proxyUsername: string;
  proxyPassword: string;
  noProxy: string;
  caFile: string;
}

function draftOf(v: SettingsView): Draft {
  return {
    liveBaseUrl: v.liveBaseUrl.saved ?? '',
    proxyUrl: v.proxyUrl.saved ?? '',
    proxyUsername: v.proxyUsername ?? '',
    proxyPassword: '',
    noProxy: v.noProxy ?? '',
    caFile: v.caFile.saved ?? '',
  };
}

/** Live Postscript's address, the proxy, and the CA file for networks that inspect HTTPS. */
export function NetworkSection(): React.JSX.Element {
  const view = useSettings((s) => s.view);
  return view === null ? <p className="muted">Loading…</p> : <NetworkForm view={view} />;
}

function NetworkForm({ view }: { view: SettingsView }): React.JSX.Element {
  const [draft, setDraft] = useState<Draft>(() => draftOf(view));
  const [check, setCheck] = useState<ConnectionCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const { busy, saved, error, save } = useSectionSave();
  const set = (k: keyof Draft) => (v: string) => setDraft({ ...draft, [k]: v });
  const err = (field: string): string | null => (error !== null && error.field === field ? error.message : null);

  return (
    <form
      className="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        setCheck(null);
        void save(
          {
            liveBaseUrl: orNull(draft.liveBaseUrl),
            proxyUrl: orNull(draft.proxyUrl),
            proxyUsername: orNull(draft.proxyUsername),
            noProxy: orNull(draft.noProxy),
            caFile: orNull(draft.caFile),
            // An empty password field keeps the saved one; "Forget password" removes it.
            ...(draft.proxyPassword === '' ? {} : { proxyPassword: draft.proxyPassword }),
          },
          'Saved. New requests use these settings now.',
        ).then((ok) => ok && setDraft({ ...draft, proxyPassword: '' }));
      }}
    >
      <SettingInput id="liveBaseUrl" label="Live Postscript address" value={draft.liveBaseUrl} onChange={set('liveBaseUrl')} field={view.liveBaseUrl} error={err('liveBaseUrl')} placeholder="https://api.postscript.io" />
      <SettingInput
        id="proxyUrl"
        label="Proxy"
        hint="for example http://proxy.example.com:8080; empty uses HTTPS_PROXY or the system’s proxy"
        value={draft.proxyUrl}
        onChange={set('proxyUrl')}
        field={view.proxyUrl}
        error={err('proxyUrl')}
      />
      <div className="setting-row">
        <SettingInput id="proxyUsername" label="Proxy user name" value={draft.proxyUsername} onChange={set('proxyUsername')} error={err('proxyUsername')} />
        <SettingInput
          id="proxyPassword"
          label="Proxy password"
          hint={view.proxyPasswordMask === null ? 'none saved' : `saved (${view.proxyPasswordMask}); type to replace`}
          type="password"
          value={draft.proxyPassword}
          onChange={set('proxyPassword')}
          error={err('proxyPassword')}
        />
      </div>
      {view.proxyPasswordMask !== null && (
        <button type="button" className="link" disabled={busy} onClick={() => void save({ proxyPassword: null }, 'Proxy password removed.')}>
          Forget proxy password
        </button>
      )}
      <SettingInput id="noProxy" label="No proxy for" hint="hosts reached directly, comma-separated (like NO_PROXY)" value={draft.noProxy} onChange={set('noProxy')} error={err('noProxy')} />
      {view.noProxyNote !== null && (
        <p className="small warning-text" data-testid="setting-noProxy-note">
          {view.noProxyNote}
        </p>
      )}
      <SettingInput
        id="caFile"
        label="Company CA certificate file (PEM)"
        hint="when your network re-signs HTTPS traffic; added to the standard authorities, never instead of them"
        value={draft.caFile}
        onChange={set('caFile')}
        field={view.caFile}
        error={err('caFile')}
        placeholder="/path/to/company-root-ca.pem"
      />
      {view.caFile.subjects.length > 0 && <p className="small muted">Trusted from this file: {view.caFile.subjects.join('; ')}</p>}
      {error !== null && error.field === null && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="save-network">
          Save
        </button>
        <button
          type="button"
          disabled={checking}
          data-testid="check-connection"
          onClick={() => {
            setChecking(true);
            void api.settings
              .checkConnection({})
              .then(setCheck)
              .finally(() => setChecking(false));
          }}
        >
          {checking ? 'Checking…' : 'Check connection'}
        </button>
      </div>
      <SavedNote text={saved} />
      {check !== null && (
        <p className={check.ok ? 'banner ok' : 'banner error'} role="status" data-testid="connection-check">
          {check.message}
          {check.via !== null ? ` Route: ${check.via}.` : ''}
          {check.latencyMs !== null ? ` ${check.latencyMs} ms.` : ''}
        </p>
      )}
    </form>
  );
}
