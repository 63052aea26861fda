/**
 * "Make a new key" for a Sandbox store's shop, as a merchant would in Postscript → Settings → API,
 * and put it to use at once: how a store whose key was revoked is recovered. The key is made and
 * saved in main (rotateKey with a new Sandbox key); the page only ever sees its mask.
 */
import { useState } from 'react';
import { api } from '../api';
import { useAction } from './useAction';

export function NewSandboxKey(props: { storeId: string | null }): React.JSX.Element {
  const { busy, note, run } = useAction();
  const [made, setMade] = useState<{ storeId: string; keyMask: string | null } | null>(null);
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
          void run(async () => {
            const detail = await api.stores.rotateKey({ storeId, credential: { kind: 'sandbox_new_key' } });
            setMade({ storeId, keyMask: detail.keyMask });
          });
        }}
        data-testid="make-sandbox-key"
      >
        Make a new key and use it
      </button>
      {shown !== null && (
        <p role="status" data-testid="new-sandbox-key-note">
          A new Sandbox key ({shown.keyMask ?? 'masked'}) was made for this store’s shop and is now in use.
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
