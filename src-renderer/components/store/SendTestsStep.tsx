/** Setup step 5: a test of each enabled event, until every one has been sent. */
import { useState } from 'react';
import type { StoreDetail } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { useStores } from '../../state/stores';
import { errorText } from './errorText';
import { TestRow } from './TestRow';

export function SendTestsStep(props: { store: StoreDetail; onDone: () => void }): React.JSX.Element {
  const s = props.store;
  const enabled = s.triggers.filter((t) => t.enabled);
  const [note, setNote] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const complete = enabled.length > 0 && enabled.every((t) => t.lastSuccessAt !== null);
  // Counted from the saved state (refetched as sends settle), not from what was pressed.
  const queued = enabled.reduce((n, t) => n + t.pending, 0);
  return (
    <section className="card" aria-label="Send tests">
      <div className="pane-header">
        <h3>Send a test of each event</h3>
        <div className="actions">
          {note !== null && (
            <span className="small fail" role="alert">
              {note}
            </span>
          )}
          {queued > 0 && (
            <span className="small muted" role="status" data-testid="tests-queued">
              {queued} test{queued === 1 ? '' : 's'} queued
            </span>
          )}
          <button
            type="button"
            data-testid="send-all"
            onClick={() => {
              setNote(null);
              api.tests.sendAll({ storeId: s.id }).then(
                () => useStores.getState().refreshDetail(),
                (err: unknown) => setNote(errorText(err)),
              );
            }}
          >
            Send all enabled ({enabled.length})
          </button>
        </div>
      </div>
      <p className="muted small">An event appears in Postscript’s flow builder only after Postscript has received it once. Setup is complete when every enabled event has been sent.</p>
      {s.testUserStatus !== 'ok' && (
        <p className="banner warning small" role="note">
          The Test Event User {s.testUserStatus === 'no_transactional' ? 'has no transactional opt-in' : 'is not confirmed'}: events will reach Postscript, but no text will reach this phone.
        </p>
      )}
      <ul className="triggers">
        {enabled.map((t) => (
          <TestRow key={t.eventKey} store={s} trigger={t} previewing={preview === t.eventKey} onPreview={() => setPreview(preview === t.eventKey ? null : t.eventKey)} />
        ))}
      </ul>
      <div className="actions">
        {complete ? (
          <span className="ok small" data-testid="setup-complete">
            Every enabled event has been sent to Postscript.
          </span>
        ) : (
          <span className="muted small" data-testid="setup-incomplete">
            {enabled.filter((t) => t.lastSuccessAt !== null).length} of {enabled.length} events sent.
          </span>
        )}
        <button type="button" className="primary" disabled={!complete} onClick={props.onDone} data-testid="finish-setup">
          Finish
        </button>
      </div>
    </section>
  );
}
