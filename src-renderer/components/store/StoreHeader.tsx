/** The store's facts and key health, with its actions (check, rotate key, export, archive). */
import { useState } from 'react';
import type { StoreDetail } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { formatTime } from '../format';
import { downloadText } from '../download';
import { useAction } from '../useAction';
import { KeywordEditor } from './KeywordEditor';
import { RotateKey } from './RotateKey';

/** `editingKeyword` is held by the store page: the "2 Keyword and key" step opens the same editor. */
export function StoreHeader(props: { store: StoreDetail; editingKeyword: boolean; onEditKeyword: (open: boolean) => void }): React.JSX.Element {
  const s = props.store;
  const { note, run } = useAction();
  const [rotating, setRotating] = useState(false);
  return (
    <>
      {/* The name and its actions stay on screen while the page scrolls (a direct child of the store page, so it sticks all the way). */}
      <div className="pane-header store-bar" data-testid="store-bar">
        <h2 data-testid="store-title" tabIndex={-1}>
          {s.name} {s.archived && <span className="badge archived">Archived</span>}
        </h2>
        <div className="actions">
          {/* One health check per store: “Check health now” under its health history (it records what it found). */}
          <button type="button" onClick={() => setRotating(!rotating)} data-testid="rotate-key">
            Rotate key
          </button>
          <button type="button" onClick={() => void run(async () => { const f = await api.stores.exportConfig({ storeId: s.id }); downloadText(f.filename, f.json, 'application/json'); })} data-testid="export-config">
            Export setup
          </button>
          <button type="button" onClick={() => void run(() => api.stores.archive({ storeId: s.id, archived: !s.archived }))} data-testid="archive-store">
            {s.archived ? 'Unarchive' : 'Archive'}
          </button>
        </div>
      </div>
      <div className="card store-facts">
        <dl className="facts">
          <dt>Shop</dt>
          <dd>{s.shopDomain}</dd>
          <dt>Account</dt>
          <dd>
            <span className={`badge ${s.account}`}>{s.account === 'sandbox' ? 'Sandbox' : 'Live Postscript'}</span>
          </dd>
          <dt>Postscript shop</dt>
          <dd data-testid="postscript-shop-name">{s.postscriptShopName ?? '—'}</dd>
          <dt>Keyword</dt>
          <dd>
            <span data-testid="store-keyword">{s.keyword ?? <span className="warning-text">not set yet (left to set later)</span>}</span>{' '}
            {!props.editingKeyword && (
              <button type="button" className="small-button" onClick={() => props.onEditKeyword(true)} data-testid="edit-keyword">
                {s.keyword === null ? 'Set keyword' : 'Change keyword'}
              </button>
            )}
          </dd>
          <dt>API key</dt>
          <dd>
            <code data-testid="key-mask">{s.keyMask ?? 'none'}</code>{' '}
            {s.keyStatus === 'invalid' ? (
              <span className="fail" data-testid="key-status">
                refused by Postscript: rotate it
              </span>
            ) : s.keyStatus === 'locked' ? (
              <span className="warning-text" data-testid="key-status" data-status="locked">
                locked: shared by a teammate; enter the team passphrase in Settings → Team to use it here
              </span>
            ) : s.keyStatus === 'unchecked' ? (
              <span className="warning-text" data-testid="key-status" data-status="unchecked">
                not yet checked: saved while Postscript was out of reach; checked by itself when it is back (tests wait until then)
              </span>
            ) : (
              <span className="muted small" data-testid="key-status">
                valid{s.keyCheckedAt !== null ? `, checked ${formatTime(s.keyCheckedAt)}` : ''}
              </span>
            )}
          </dd>
        </dl>
        {props.editingKeyword && <KeywordEditor store={s} onDone={() => props.onEditKeyword(false)} />}
        {rotating && <RotateKey store={s} onDone={() => setRotating(false)} />}
        {note !== null && (
          <p className="small" role="status">
            {note}
          </p>
        )}
      </div>
    </>
  );
}
