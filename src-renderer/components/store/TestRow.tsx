/** One enabled event’s last test result, with its payload preview and Send test. */
import { useState } from 'react';
import { findSkioEvent } from '../../../src-shared/events/catalog';
import type { StoreDetail, TriggerState } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { formatTime } from '../format';
import { errorText } from './errorText';
import { TestPreview } from './TestPreview';

export function TestRow(props: { store: StoreDetail; trigger: TriggerState; previewing: boolean; onPreview: () => void }): React.JSX.Element {
  const { store, trigger } = props;
  const event = findSkioEvent(trigger.eventKey);
  const [error, setError] = useState<string | null>(null);
  if (event === undefined) return <></>;
  const unrecorded = trigger.unrecorded ?? 0;
  const state =
    unrecorded > 0 ? (
      <span className="ok" data-testid={`unrecorded-${event.key}`}>
        reached Postscript; the answer is not saved yet (see Data health). Do not resend.
      </span>
    ) : trigger.pending > 0 ? (
      <span className="muted">queued</span>
    ) : trigger.lastOutcome === null ? (
      <span className="muted">never sent</span>
    ) : trigger.lastOutcome === 'delivered' ? (
      <span className="ok">sent (202){trigger.lastSuccessAt !== null ? ` ${formatTime(trigger.lastSuccessAt)}` : ''}</span>
    ) : (
      <span className="fail">
        {trigger.lastOutcome === 'uncertain' ? 'uncertain' : 'failed'}: {trigger.lastError}
        {trigger.lastOutcome === 'uncertain' ? '' : ' Fix the cause and send again.'}
      </span>
    );
  return (
    <li className="test-row" data-testid={`test-${event.key}`}>
      <div className="trigger-text">
        <div className="trigger-name">{event.name}</div>
        <div className="small" data-testid={`status-${event.key}`}>
          {state}
          {trigger.lastSuccessAt !== null && trigger.lastOutcome !== 'delivered' && trigger.pending === 0 && <span className="muted"> (sent before {formatTime(trigger.lastSuccessAt)})</span>}
        </div>
        {error !== null && (
          <div className="fail small" role="alert">
            {error}
          </div>
        )}
      </div>
      <div className="actions">
        <button type="button" onClick={props.onPreview} aria-expanded={props.previewing} data-testid={`preview-${event.key}`}>
          {props.previewing ? 'Hide payload' : 'Payload'}
        </button>
        <button
          type="button"
          disabled={trigger.pending > 0 || unrecorded > 0}
          data-testid={`send-test-${event.key}`}
          onClick={() => {
            setError(null);
            api.tests.send({ storeId: store.id, eventKey: event.key }).catch((err: unknown) => setError(errorText(err)));
          }}
        >
          Send test
        </button>
      </div>
      {props.previewing && <TestPreview storeId={store.id} eventKey={event.key} onSent={props.onPreview} />}
    </li>
  );
}
