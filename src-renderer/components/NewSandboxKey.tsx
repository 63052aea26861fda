/**
 * "Make a new key" for a Sandbox store's shop, as a merchant would in Postscript → Settings → API.
 * The key is shown once, here only (never kept in the page's state elsewhere), so the agent can
 * paste it into Rotate key: how a store whose key was revoked is recovered.
 */
import { useState } from 'react';
import { api } from '../api';
import { useAction } from './useAction';

export function NewSandboxKey(props: { storeId: string | null }): React.JSX.Element {
  const { busy, note, run } = useAction();
  const [made, setMade] = useState<{ storeId: string; shopName: string; apiKey: string } | null>(null);
  const { storeId } = props;
  const shown = made !== null && made.storeId === storeId ? made : null;
  return (
    <div className="small">
      <button
        type="button"
        disabled={busy || storeId === null}
        onClick={() => {
          if (storeId === null) return;
          setMade(null);
          void run(async () => setMade({ storeId, ...(await api.sandbox.newKey({ storeId })) }));
        }}
        data-testid="make-sandbox-key"
      >
        Make a new key
      </button>
      {shown !== null && (
        <p role="status" data-testid="new-sandbox-key-note">
          New key for the Sandbox shop “{shown.shopName}”, shown this once: <code data-testid="new-sandbox-key">{shown.apiKey}</code>. Copy it into Rotate key in the store’s header.
        </p>
      )}
      {note !== null && (
        <p className="field-error" role="alert">
          {note}
        </p>
      )}
    </div>
  );
}
