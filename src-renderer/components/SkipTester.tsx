/**
 * SKIP tester: proves, before go-live, that a subscriber texting SKIP skips their next order once.
 * The listener's address and state; set-up; the test subscription; simulations through the
 * Sandbox (and the ways a delivery can go wrong); live registration; the reminder's text; the log.
 */
import { useCallback, useEffect, useState } from 'react';
import { AppError } from '../../src-shared/errors';
import type { InboundWebhook, OutputOf, SkipStatus, SkipVariant } from '../../src-shared/ipc/contract';
import { api } from '../api';
import { useStores } from '../state/stores';
import { formatTime } from './format';
import { checkSkipWord } from '../../src-shared/rules/skipWord';
import { StorePicker } from './StorePicker';
import { useAction } from './useAction';

const VARIANTS: Array<{ variant: SkipVariant; label: string; expect: string }> = [
  { variant: 'skip', label: 'Simulate SKIP', expect: 'skips the next order' },
  { variant: 'duplicate', label: 'Duplicate delivery', expect: 'skips once, then says duplicate' },
  { variant: 'skip_please', label: '“skip please”', expect: 'not a skip' },
  { variant: 'opted_out', label: 'Opted-out sender', expect: 'not a skip: the sender (+1 555 555 0102) texted STOP' },
  { variant: 'wrong_signature', label: 'Wrong signature', expect: 'refused, 401' },
];

const err = (e: unknown): string => (e instanceof AppError ? e.message : String(e));

export function SkipTester(): React.JSX.Element {
  const stores = useStores((s) => s.directory);
  const selected = useStores((s) => s.selectedId);
  const [storeId, setStoreId] = useState<string | null>(selected ?? stores[0]?.id ?? null);
  const [status, setStatus] = useState<SkipStatus | null>(null);
  const [rows, setRows] = useState<InboundWebhook[]>([]);
  const { busy, note, setNote, run } = useAction();
  const [result, setResult] = useState<(OutputOf<'skip', 'simulate'> & { variant: SkipVariant }) | null>(null);
  const effective = storeId ?? stores[0]?.id ?? null;
  const store = useStores((s) => (effective === null ? undefined : s.byId[effective]));

  const load = useCallback(() => {
    if (effective === null) return;
    void api.skip.status({ storeId: effective }).then(setStatus, (e: unknown) => setNote(err(e)));
    void api.skip.inbound({ storeId: effective, limit: 50 }).then((r) => setRows(r.rows));
  }, [effective, setNote]);
  useEffect(() => {
    load();
    return api.on('changed', ({ topics }) => {
      if (topics.includes('skip') || topics.includes('triggers')) load();
    });
  }, [load]);

  const setUp = status !== null && status.tokenMask !== null && status.subscription !== null;
  if (stores.length === 0 || effective === null || store === undefined) return <p className="muted">Add a store first: the SKIP tester works on a store’s Postscript account.</p>;
  return (
    <div className="skip-view">
      <div className="pane-header">
        <h2>SKIP tester</h2>
        <StorePicker
          value={effective}
          onChange={(id) => {
            if (id === null) return;
            setStoreId(id);
            setResult(null);
          }}
          emptyLabel="Type a store’s name"
          ariaLabel="Store"
          testId="skip-store"
        />
      </div>
      <p className="muted small">
        Subscribers reply {status?.skipWord ?? 'SKIP'} to a billing reminder; Postscript sends the reply to Skio as a shop.incoming_message webhook; the next order is skipped, once.
      </p>
      {note !== null && (
        <p className="banner info small" role="status" data-testid="skip-note">
          {note}
        </p>
      )}
      {status !== null && (
        <>
          {!setUp && (
            <p className="banner info small" role="note" data-testid="setup-first">
              Press “Set up” to fetch the signing token and create the test subscription{store.account === 'sandbox' ? ', or simulate a reply below: a simulation sets up first' : ''}.
            </p>
          )}
          <section className="card" aria-label="Listener">
            <h3>Listener</h3>
            <dl className="facts">
              <dt>State</dt>
              <dd data-testid="listener-state">{status.listener.running ? `listening on ${status.listener.host}:${status.listener.port ?? ''}` : 'stopped'}</dd>
              <dt>This store’s URL</dt>
              <dd>
                <code data-testid="callback-url">{status.callbackUrl ?? '—'}</code>
              </dd>
              <dt>Signing token</dt>
              <dd>{status.tokenMask === null ? <span className="warning-text">not fetched yet</span> : <code data-testid="token-mask">{status.tokenMask}</code>}</dd>
            </dl>
            {status.listener.note !== null && <p className="small warning-text">{status.listener.note}</p>}
            {status.listenerMoved !== null && (
              <p className="small warning-text" role="alert" data-testid="listener-moved">
                The listener moved from {status.listenerMoved.from} to {status.listenerMoved.to}; this store’s webhooks still point at the old address.{' '}
                {status.listenerMoved.failed !== null
                  ? `Registering them again failed (${status.listenerMoved.failed}): run Set up again.`
                  : 'Point the tunnel at the new address, then register the webhook again below (or remove it).'}
              </p>
            )}
            <div className="actions">
              {/* The main button until the store is set up; afterwards only a way to start over. */}
              <button type="button" className={setUp ? undefined : 'primary'} disabled={busy} onClick={() => void run(() => api.skip.setup({ storeId: effective }), 'Set up: token saved, test subscription ready.')} data-testid="skip-setup">
                {setUp ? 'Set up again' : 'Set up'}
              </button>
            </div>
          </section>

          <section className="card" aria-label="Test subscription">
            <h3>Test subscription</h3>
            {/* Keyed by what is saved: the form starts from the saved values whenever they change. */}
            <SubscriptionForm
              key={`${effective}:${status.subscription?.phone ?? ''}:${status.subscription?.nextBillingDate ?? ''}:${status.subscription?.intervalDays ?? ''}`}
              storeId={effective}
              status={status}
              onDone={(m) => setNote(m)}
            />
            <SkipWordForm key={`${effective}:${status.skipWord}`} storeId={effective} status={status} onDone={(m) => setNote(m)} />
            {status.keywordConflict === true && (
              <p className="banner warning small" role="note" data-testid="keyword-conflict">
                {status.skipWord} is also one of this shop’s Postscript keywords. Postscript documents that keyword replies may not arrive as shop.incoming_message, so a SKIP might never reach Skio. Use another word, or remove the keyword in Postscript.
              </p>
            )}
            {!status.followUpEnabled && <p className="small muted">Turn on “Subscription Next Billing Date Updated” to also tell Postscript about the new date after a skip.</p>}
          </section>

          {store.account === 'sandbox' ? (
            <section className="card" aria-label="Simulate">
              <h3>Simulate a reply</h3>
              <p className="muted small">The Sandbox delivers a signed shop.incoming_message to the listener, and retries as Postscript does when it is not answered 200.</p>
              <div className="variant-buttons">
                {VARIANTS.map((v) => (
                  <button
                    key={v.variant}
                    type="button"
                    className={v.variant === 'skip' && setUp ? 'primary' : undefined}
                    disabled={busy}
                    title={`Expected: ${v.expect}`}
                    data-testid={`simulate-${v.variant}`}
                    onClick={() => void run(async () => setResult({ ...(await api.skip.simulate({ storeId: effective, variant: v.variant })), variant: v.variant }))}
                  >
                    {v.label}
                  </button>
                ))}
              </div>
              {result !== null && (
                <div className="sim-result" data-testid="simulate-result">
                  <p>
                    Next billing date: <strong data-testid="date-before">{result.before}</strong> → <strong data-testid="date-after">{result.after}</strong>
                    {result.before === result.after ? ' (unchanged)' : ''}
                  </p>
                  <ul className="small">
                    {result.rows.map((r) => (
                      <li key={r.id}>
                        HTTP {r.status} · from {r.fromNumber ?? 'unknown'} · <span className={`action ${r.action}`}>{r.action}</span>: {r.reason}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </section>
          ) : (
            <LiveRegistration storeId={effective} status={status} onDone={(m) => setNote(m)} />
          )}

          {/* Refetched when the subscription's date changes: the reminder quotes that date. */}
          <ReminderPreview storeId={effective} nextBillingDate={status.subscription?.nextBillingDate ?? null} />

          <section className="card" aria-label="Webhooks received">
            <h3>Webhooks received</h3>
            {rows.length === 0 ? (
              <p className="muted">None yet.</p>
            ) : (
              <table className="table" data-testid="inbound-log">
                <thead>
                  <tr>
                    <th>When</th>
                    <th>From</th>
                    <th>Message</th>
                    <th>Signature</th>
                    <th>Action</th>
                    <th>Why</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <td data-col="when">{formatTime(r.receivedAt)}</td>
                      <td>{r.fromNumber ?? '—'}</td>
                      <td title={r.message ?? undefined}>{r.message ?? '—'}</td>
                      <td>{r.signature.replace('_', ' ')}</td>
                      <td>
                        <span className={`action ${r.action}`}>{r.action}</span> <span className="muted small">{r.status}</span>
                      </td>
                      <td className="wrap">{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function SubscriptionForm(props: { storeId: string; status: SkipStatus; onDone: (m: string) => void }): React.JSX.Element {
  const sub = props.status.subscription;
  const [phone, setPhone] = useState(sub?.phone ?? '');
  const [date, setDate] = useState(sub?.nextBillingDate ?? '');
  const [interval, setInterval_] = useState(String(sub?.intervalDays ?? 30));
  if (sub === null) return <p className="muted small">None yet: “Set up” (or a simulation) creates it for the Test Event User.</p>;
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        api.skip
          .setSubscription({ storeId: props.storeId, phone, nextBillingDate: date, intervalDays: Number(interval) })
          .then(() => props.onDone('Test subscription saved.'), (x: unknown) => props.onDone(err(x)));
      }}
    >
      <label className="inline small">
        Phone <input value={phone} onChange={(e) => setPhone(e.target.value)} aria-label="Subscriber phone" />
      </label>
      <label className="inline small">
        Next billing date <input type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-label="Next billing date" data-testid="next-billing-date" />
      </label>
      <label className="inline small">
        Every <input type="number" min={1} max={365} value={interval} onChange={(e) => setInterval_(e.target.value)} className="narrow" aria-label="Interval in days" /> days
      </label>
      <button type="submit">Save</button>
      <span className="small muted" data-testid="skipped-count">
        {sub.skippedCount} skip{sub.skippedCount === 1 ? '' : 's'} so far
      </span>
    </form>
  );
}

function SkipWordForm(props: { storeId: string; status: SkipStatus; onDone: (m: string) => void }): React.JSX.Element {
  const [word, setWord] = useState(props.status.skipWord);
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        const check = checkSkipWord(word);
        if (!check.ok) return props.onDone(check.message);
        api.skip.setSkipWord({ storeId: props.storeId, word: check.word }).then(() => props.onDone('SKIP word saved.'), (x: unknown) => props.onDone(err(x)));
      }}
    >
      <label className="inline small">
        SKIP word <input value={word} onChange={(e) => setWord(e.target.value)} className="narrow-wide" aria-label="SKIP word" data-testid="skip-word" />
      </label>
      <button type="submit">Save</button>
    </form>
  );
}

function LiveRegistration(props: { storeId: string; status: SkipStatus; onDone: (m: string) => void }): React.JSX.Element {
  const [url, setUrl] = useState('');
  return (
    <section className="card" aria-label="Live webhook">
      <h3>Live webhook</h3>
      <p className="muted small">
        Postscript delivers only to HTTPS. Expose the listener ({props.status.callbackUrl ?? '…'}) through an HTTPS tunnel, register the tunnel’s address here, text {props.status.skipWord} to the store’s number from the test phone, then remove the webhook.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          api.skip.register({ storeId: props.storeId, callbackUrl: url }).then(() => props.onDone('Registered with Postscript.'), (x: unknown) => props.onDone(err(x)));
        }}
      >
        <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://your-tunnel.example/postscript/webhooks/…" aria-label="Tunnel URL" />
        <button type="submit" className="primary">
          Register
        </button>
      </form>
      <ul className="small">
        {props.status.registrations.map((r) => (
          <li key={r.id}>
            <code>{r.callbackUrl}</code> ({r.event}){' '}
            <button type="button" onClick={() => api.skip.unregister({ storeId: props.storeId, webhookId: r.id }).then(() => props.onDone('Removed.'), (x: unknown) => props.onDone(err(x)))}>
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReminderPreview(props: { storeId: string; nextBillingDate: string | null }): React.JSX.Element {
  const [template, setTemplate] = useState<string | null>(null);
  const [preview, setPreview] = useState<OutputOf<'skip', 'reminderPreview'> | null>(null);
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      void api.skip.reminderPreview({ storeId: props.storeId, ...(template === null ? {} : { template }) }).then((p) => {
        if (!live) return;
        setPreview(p);
      });
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [props.storeId, template, props.nextBillingDate]);
  return (
    <section className="card" aria-label="Billing reminder">
      <h3>Billing reminder text</h3>
      <textarea rows={3} value={template ?? preview?.template ?? ''} onChange={(e) => setTemplate(e.target.value)} aria-label="Reminder template" />
      {preview !== null && (
        <>
          <p className="reminder" data-testid="reminder-text">
            {preview.text}
          </p>
          <p className="small muted" data-testid="reminder-size">
            {preview.characters} characters · {preview.encoding} · {preview.segments} SMS segment{preview.segments === 1 ? '' : 's'}
            {preview.encoding === 'UCS-2' ? ' (a character outside GSM-7 makes every segment shorter: 70, then 67)' : ''}
          </p>
        </>
      )}
    </section>
  );
}
