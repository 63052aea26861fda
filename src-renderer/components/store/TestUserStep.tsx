/** Setup step 3: the Test Event User, looked up in Postscript. */
import { useEffect, useState } from 'react';
import type { SandboxSubscriber, StoreDetail, TestUserCheck } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { formatTime } from '../format';
import { errorText } from './errorText';

const USER_STATUS_CLASS: Record<TestUserCheck['status'], string> = {
  ok: 'banner ok',
  not_found: 'banner error',
  no_transactional: 'banner warning',
  unchecked: 'banner info',
};

export function TestUserStep(props: { store: StoreDetail; onNext: () => void }): React.JSX.Element {
  const s = props.store;
  const [phone, setPhone] = useState(s.testPhone ?? '');
  const [check, setCheck] = useState<TestUserCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const status = check?.status ?? s.testUserStatus;
  // A Sandbox shop has seeded subscribers; nobody can text a keyword to the Sandbox to become one.
  const [seeded, setSeeded] = useState<SandboxSubscriber[]>([]);
  useEffect(() => {
    if (s.account !== 'sandbox') return;
    let live = true;
    api.sandbox.subscribers({ storeId: s.id }).then(
      (list) => live && setSeeded(list),
      () => undefined, // the field still takes any number
    );
    return () => {
      live = false;
    };
  }, [s.id, s.account]);
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
        <label className="field">
          Test Event User phone
          <input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="The subscriber’s phone number" data-testid="test-phone" />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="check-test-user">
          {busy ? 'Looking up…' : 'Check in Postscript'}
        </button>
      </form>
      {seeded.length > 0 && (
        <div className="small" data-testid="sandbox-subscribers">
          <p className="muted">The Sandbox’s subscribers (the Sandbox texts no one):</p>
          <ul>
            {seeded.map((sub) => (
              <li key={sub.subscriberId}>
                <button type="button" className="link" onClick={() => setPhone(sub.phone)} data-testid="sandbox-subscriber" data-phone={sub.phone}>
                  {sub.phone}
                </button>{' '}
                {sub.transactional ? 'opted in to transactional texts: test events reach this phone' : 'not opted in to transactional texts: shows what that looks like'}
              </li>
            ))}
          </ul>
        </div>
      )}
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
            {s.testPhone}:{' '}
            {s.testUserStatus === 'ok'
              ? 'can receive transactional texts'
              : s.testUserStatus === 'not_found'
                ? 'not a subscriber yet'
                : s.testUserStatus === 'unchecked'
                  ? 'not checked yet: Postscript was out of reach; checked by itself when it is back'
                  : 'no transactional opt-in'}
            {s.testUserCheckedAt !== null && ` (checked ${formatTime(s.testUserCheckedAt)})`}
          </p>
        )
      )}
      <div className="actions">
        {status === 'no_transactional' && <span className="small warning-text">You can go on, but this phone will not get the texts.</span>}
        {/* A finished store is revisited through its steps above, not walked again. */}
        {!s.setupComplete && (
          <button type="button" className="primary" disabled={status === null || status === 'not_found'} onClick={props.onNext} data-testid="to-events">
            Next: events
          </button>
        )}
      </div>
    </section>
  );
}
