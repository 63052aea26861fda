/** Replacing a store’s API key (validated by main against the same Postscript shop). */
import { useState } from 'react';
import type { StoreDetail } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { errorText } from './errorText';

export function RotateKey(props: { store: StoreDetail; onDone: () => void }): React.JSX.Element {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        api.stores
          // Always the pasted key: an empty field is answered "Paste the new key" (a Sandbox store
          // gets one from "Make a new key" in its readiness panel or on the Sandbox page).
          .rotateKey({ storeId: props.store.id, credential: { kind: 'paste', apiKey: key } })
          .then(() => {
            setKey('');
            props.onDone();
          }, (err: unknown) => setError(errorText(err)))
          .finally(() => setBusy(false));
      }}
    >
      <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} placeholder="New private key (sk_…)" aria-label="New API key" data-testid="new-api-key" />
      <button type="submit" className="primary" disabled={busy}>
        Validate and replace
      </button>
      {error !== null && (
        <p className="field-error" role="alert" data-testid="rotate-error">
          {error}
        </p>
      )}
    </form>
  );
}
