/**
 * A store: its facts and health, then the rest of the setup wizard (Test Event User, events, send
 * tests), resumable at the step the agent left, and its recent deliveries.
 */
import { useEffect, useState } from 'react';
import { AppError } from '../../src-shared/errors';
import { findSkioEvent, postscriptDisplayName } from '../../src-shared/events/catalog';
import type { SetupStep, StoreDetail, TestUserCheck, TriggerState } from '../../src-shared/ipc/contract';
import { api } from '../api';
import { useDeliveries } from '../state/deliveries';
import { useStores } from '../state/stores';
import { DeliveryTable } from './DeliveryLog';
import { formatTime } from './format';
import { TestPreview } from './TestPreview';
import { downloadText } from './download';
import { useAction } from './useAction';

const STEPS: Array<{ step: SetupStep; label: string }> = [
  { step: 'user', label: '3 Test Event User' },
  { step: 'events', label: '4 Events' },
  { step: 'test', label: '5 Send tests' },
  { step: 'done', label: 'Done' },
];

function errorText(err: unknown): string {
  return err instanceof AppError ? err.message : String(err);
}

export function StoreDetailView(): React.JSX.Element {
  const detail = useStores((s) => s.detail);
  const selectedId = useStores((s) => s.selectedId);

  useEffect(() => {
    void useDeliveries.getState().setStore(selectedId);
  }, [selectedId]);

  if (detail === null) return <p className="muted">Loading…</p>;
  const go = (step: SetupStep): void => void api.stores.setStep({ storeId: detail.id, step });
  return (
    <div className="store-detail" data-testid="store-detail">
      <StoreHeader store={detail} />
      <ol className="stepper" aria-label="Setup steps">
        <li className="done">1 Store</li>
        <li className="done">2 Keyword and key</li>
        {STEPS.map((s) => (
          <li key={s.step} className={s.step === detail.setupStep ? 'current' : ''}>
            <button type="button" className="link" onClick={() => go(s.step)} aria-current={s.step === detail.setupStep ? 'step' : undefined} data-testid={`step-${s.step}`}>
              {s.label}
            </button>
          </li>
        ))}
      </ol>
      {detail.setupStep === 'user' && <TestUserStep store={detail} onNext={() => go('events')} />}
      {detail.setupStep === 'events' && <EventsStep store={detail} onNext={() => go('test')} />}
      {detail.setupStep === 'test' && <SendTestsStep store={detail} onDone={() => go('done')} />}
      {detail.setupStep === 'done' && <DoneStep store={detail} onEdit={go} />}
      <section className="card" aria-label="Recent deliveries">
        <h3>Recent deliveries</h3>
        <DeliveryTable compact />
      </section>
    </div>
  );
}

function StoreHeader(props: { store: StoreDetail }): React.JSX.Element {
  const s = props.store;
  const { busy, note, run } = useAction();
  const [rotating, setRotating] = useState(false);
  return (
    <header className="card">
      <div className="pane-header">
        <h2 data-testid="store-title">
          {s.name} {s.archived && <span className="badge archived">Archived</span>}
        </h2>
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void run(() => api.stores.checkHealth({ storeId: s.id }), 'Checked with Postscript.')} data-testid="check-health">
            Check health
          </button>
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
        <dd data-testid="store-keyword">{s.keyword ?? <span className="warning-text">not set</span>}</dd>
        <dt>API key</dt>
        <dd>
          <code data-testid="key-mask">{s.keyMask ?? 'none'}</code>{' '}
          {s.keyStatus === 'invalid' ? (
            <span className="fail" data-testid="key-status">
              refused by Postscript: rotate it
            </span>
          ) : (
            <span className="muted small" data-testid="key-status">
              valid{s.keyCheckedAt !== null ? `, checked ${formatTime(s.keyCheckedAt)}` : ''}
            </span>
          )}
        </dd>
      </dl>
      {rotating && <RotateKey store={s} onDone={() => setRotating(false)} />}
      {note !== null && (
        <p className="small" role="status">
          {note}
        </p>
      )}
    </header>
  );
}

function RotateKey(props: { store: StoreDetail; onDone: () => void }): React.JSX.Element {
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
          .rotateKey({ storeId: props.store.id, credential: props.store.account === 'sandbox' && key.trim() === '' ? { kind: 'sandbox_new_key' } : { kind: 'paste', apiKey: key } })
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

const USER_STATUS_CLASS: Record<TestUserCheck['status'], string> = { ok: 'banner ok', not_found: 'banner error', no_transactional: 'banner warning' };

function TestUserStep(props: { store: StoreDetail; onNext: () => void }): React.JSX.Element {
  const s = props.store;
  const [phone, setPhone] = useState(s.testPhone ?? '');
  const [check, setCheck] = useState<TestUserCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const status = check?.status ?? s.testUserStatus;
  return (
    <section className="card form" aria-label="Test Event User">
      <h3>Test Event User</h3>
      <p className="muted small">
        The subscriber who receives the test events. They must exist in Postscript and have opted in to transactional texts, or they will never see the flow’s message.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          setCheck(null);
          api.stores
            .setTestUser({ storeId: s.id, phone })
            .then((c) => {
              setCheck(c);
              setPhone(c.e164);
            }, (err: unknown) => setError(errorText(err)))
            .finally(() => setBusy(false));
        }}
      >
        <input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+1 555 555 0100" aria-label="Test Event User phone" data-testid="test-phone" />
        <button type="submit" className="primary" disabled={busy} data-testid="check-test-user">
          {busy ? 'Looking up…' : 'Check in Postscript'}
        </button>
      </form>
      {error !== null && (
        <p className="field-error" role="alert" data-testid="test-user-error">
          {error}
        </p>
      )}
      {check !== null ? (
        <p className={USER_STATUS_CLASS[check.status]} role="status" data-testid="test-user-result" data-status={check.status}>
          {check.message}
        </p>
      ) : (
        s.testUserStatus !== null && (
          <p className={USER_STATUS_CLASS[s.testUserStatus]} role="status" data-testid="test-user-result" data-status={s.testUserStatus}>
            {s.testPhone}: {s.testUserStatus === 'ok' ? 'can receive transactional texts' : s.testUserStatus === 'not_found' ? 'not a subscriber yet' : 'no transactional opt-in'}
            {s.testUserCheckedAt !== null && ` (checked ${formatTime(s.testUserCheckedAt)})`}
          </p>
        )
      )}
      <div className="actions">
        {status === 'no_transactional' && <span className="small warning-text">You can go on, but this phone will not get the texts.</span>}
        <button type="button" className="primary" disabled={status === null || status === 'not_found'} onClick={props.onNext} data-testid="to-events">
          Next: events
        </button>
      </div>
    </section>
  );
}

function EventsStep(props: { store: StoreDetail; onNext: () => void }): React.JSX.Element {
  const s = props.store;
  const enabled = s.triggers.filter((t) => t.enabled).length;
  const both = s.triggers.filter((t) => t.enabled && t.skioSmsAlso);
  return (
    <section className="card" aria-label="Event triggers">
      <h3>Events to send to Postscript</h3>
      <p className="muted small">Turn on the events the merchant wants in Postscript flows. Each shows the name it will have in Postscript’s flow builder.</p>
      {both.length > 0 && (
        <p className="banner warning small" role="note" data-testid="coexistence-warning">
          {both.length === 1 ? '1 event is' : `${both.length} events are`} also sent by SkioSMS: subscribers would get two texts for{' '}
          {both.map((t) => findSkioEvent(t.eventKey)?.name).join(', ')}. Turn it off in SkioSMS or here.
        </p>
      )}
      <ul className="triggers">
        {s.triggers.map((t) => (
          <EventRow key={t.eventKey} store={s} trigger={t} />
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="primary" disabled={enabled === 0} onClick={props.onNext} data-testid="to-tests">
          Next: send tests ({enabled})
        </button>
      </div>
    </section>
  );
}

function EventRow(props: { store: StoreDetail; trigger: TriggerState }): React.JSX.Element {
  const { store, trigger } = props;
  const event = findSkioEvent(trigger.eventKey);
  // Shown at once while main saves it; dropped once the saved state has been refetched.
  const [pending, setPending] = useState<{ enabled?: boolean; skioSmsAlso?: boolean }>({});
  const [error, setError] = useState<string | null>(null);
  const [days, setDays] = useState(String(trigger.settings.daysBefore ?? ''));
  if (event === undefined) return <></>;
  const enabled = pending.enabled ?? trigger.enabled;
  const skioSmsAlso = pending.skioSmsAlso ?? trigger.skioSmsAlso;
  const set = (change: { enabled?: boolean; daysBefore?: number; skioSmsAlso?: boolean }): void => {
    setError(null);
    setPending((p) => ({ ...p, ...(change.enabled === undefined ? {} : { enabled: change.enabled }), ...(change.skioSmsAlso === undefined ? {} : { skioSmsAlso: change.skioSmsAlso }) }));
    api.triggers
      .set({ storeId: store.id, eventKey: event.key, ...change })
      .then(() => useStores.getState().refreshDetail(), (err: unknown) => setError(errorText(err)))
      .finally(() => setPending({}));
  };
  return (
    <li className={enabled ? 'trigger events on' : 'trigger events'} data-testid={`trigger-${event.key}`}>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={enabled}
          aria-label={`Send ${event.name} to Postscript`}
          data-testid={`toggle-${event.key}`}
          onChange={(e) => set({ enabled: e.target.checked })}
        />
        <span className="switch-track" aria-hidden="true" />
      </label>
      <div className="trigger-text">
        <div className="trigger-name">{event.name}</div>
        <div className="muted small">{event.description}</div>
        <div className="small">
          In Postscript: <code>{postscriptDisplayName(store.postscriptShopName ?? store.name, event.postscriptType)}</code>
        </div>
        {error !== null && (
          <div className="fail small" role="alert">
            {error}
          </div>
        )}
      </div>
      <div className="trigger-settings small">
        {trigger.settings.daysBefore !== undefined && (
          <label className="inline">
            Days before
            <input
              type="number"
              min={1}
              max={30}
              value={days}
              className="narrow"
              data-testid={`days-${event.key}`}
              onChange={(e) => setDays(e.target.value)}
              onBlur={() => {
                const n = Number(days);
                if (Number.isInteger(n) && n !== trigger.settings.daysBefore) set({ daysBefore: n });
              }}
            />
          </label>
        )}
        <label className="inline">
          <input type="checkbox" checked={skioSmsAlso} onChange={(e) => set({ skioSmsAlso: e.target.checked })} data-testid={`skiosms-${event.key}`} />
          Also sent by SkioSMS
        </label>
      </div>
    </li>
  );
}

function SendTestsStep(props: { store: StoreDetail; onDone: () => void }): React.JSX.Element {
  const s = props.store;
  const enabled = s.triggers.filter((t) => t.enabled);
  const [note, setNote] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const complete = enabled.length > 0 && enabled.every((t) => t.lastSuccessAt !== null);
  return (
    <section className="card" aria-label="Send tests">
      <div className="pane-header">
        <h3>Send a test of each event</h3>
        <div className="actions">
          {note !== null && <span className="small muted">{note}</span>}
          <button
            type="button"
            data-testid="send-all"
            onClick={() => {
              setNote(null);
              api.tests.sendAll({ storeId: s.id }).then(
                (r) => setNote(`${r.queued} test${r.queued === 1 ? '' : 's'} queued`),
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

function TestRow(props: { store: StoreDetail; trigger: TriggerState; previewing: boolean; onPreview: () => void }): React.JSX.Element {
  const { store, trigger } = props;
  const event = findSkioEvent(trigger.eventKey);
  const [error, setError] = useState<string | null>(null);
  if (event === undefined) return <></>;
  const state =
    trigger.pending > 0 ? (
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
          disabled={trigger.pending > 0}
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

function DoneStep(props: { store: StoreDetail; onEdit: (step: SetupStep) => void }): React.JSX.Element {
  const s = props.store;
  const checks: Array<[boolean, string]> = [
    [s.keyStatus === 'valid', `API key ${s.keyMask ?? ''} accepted by Postscript`],
    [s.keyword !== null, `Keyword trigger ${s.keyword ?? 'not set'}`],
    [s.testUserStatus === 'ok', `Test Event User ${s.testPhone ?? ''} can receive transactional texts`],
    [s.enabledEvents > 0 && s.testedEvents === s.enabledEvents, `${s.testedEvents} of ${s.enabledEvents} enabled events sent to Postscript`],
  ];
  return (
    <section className="card" aria-label="Setup summary">
      <h3>{s.setupComplete ? 'Setup complete' : 'Setup needs attention'}</h3>
      <ul className="checks" data-testid="setup-summary">
        {checks.map(([ok, text]) => (
          <li key={text} className={ok ? 'ok' : 'fail'}>
            {ok ? '✓' : '✗'} {text}
          </li>
        ))}
      </ul>
      <p className="small muted">In Postscript: Automation Flows → Create an Automation Flow → choose one of the Skio events as its trigger.</p>
      <div className="actions">
        <button type="button" onClick={() => props.onEdit('events')}>
          Change events
        </button>
        <button type="button" onClick={() => props.onEdit('test')}>
          Send tests again
        </button>
      </div>
    </section>
  );
}
