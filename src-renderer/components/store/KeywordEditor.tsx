/**
 * Setting or changing a store's keyword trigger after it was saved (the wizard lets it be left
 * empty). Main checks it against the shop's Postscript keywords and suggests close ones; the
 * shop's keywords are offered while typing.
 */
import { useEffect, useId, useState } from 'react';
import type { StoreDetail } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { errorText } from './errorText';

export function KeywordEditor(props: { store: StoreDetail; onDone: () => void }): React.JSX.Element {
  const { store } = props;
  const [keyword, setKeyword] = useState(store.keyword ?? '');
  const [offered, setOffered] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const listId = useId();

  useEffect(() => {
    let live = true;
    // Only suggestions: when Postscript cannot be asked now, saving says why.
    api.stores.keywords({ storeId: store.id }).then(
      (k) => live && setOffered(k),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [store.id]);

  return (
    <form
      className="inline-form"
      aria-label="Keyword trigger"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        api.stores
          .setKeyword({ storeId: store.id, keyword })
          .then(() => props.onDone(), (err: unknown) => setError(errorText(err)))
          .finally(() => setBusy(false));
      }}
    >
      <input value={keyword} list={listId} onChange={(e) => setKeyword(e.target.value)} placeholder="JOIN" aria-label="Keyword trigger" autoFocus data-testid="keyword-input" />
      <datalist id={listId}>
        {offered.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <button type="submit" className="primary" disabled={busy} data-testid="save-keyword">
        {busy ? 'Checking with Postscript…' : 'Save keyword'}
      </button>
      <button type="button" onClick={props.onDone}>
        Cancel
      </button>
      {offered.length > 0 && (
        <span className="hint" data-testid="keyword-offered">
          The shop’s keywords: {offered.join(', ')}
        </span>
      )}
      {error !== null && (
        <p className="field-error" role="alert" data-testid="keyword-error">
          {error}
        </p>
      )}
    </form>
  );
}
