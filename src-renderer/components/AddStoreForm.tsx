import { useState } from 'react';
import { AppError } from '../../src-shared/errors';
import type { Account } from '../../src-shared/ipc/contract';
import { api } from '../api';

const SANDBOX_OPTED_IN_PHONE = '+1 555 555 0100';

export function AddStoreForm(props: { onCreated: (storeId: string) => void; onCancel: () => void }): React.JSX.Element {
  const [name, setName] = useState('');
  const [domain, setDomain] = useState('');
  const [account, setAccount] = useState<Account>('sandbox');
  const [keyMode, setKeyMode] = useState<'generate' | 'paste'>('generate');
  const [apiKey, setApiKey] = useState('');
  const [phone, setPhone] = useState(SANDBOX_OPTED_IN_PHONE);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);

  const pasting = account === 'live' || keyMode === 'paste';

  async function submit(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const detail = await api.stores.create({
        name,
        shopDomain: domain,
        account,
        credential: pasting ? { kind: 'paste', apiKey } : { kind: 'sandbox_new_key' },
        testPhone: phone,
      });
      setApiKey('');
      props.onCreated(detail.id);
    } catch (err) {
      setError(err instanceof AppError ? { message: err.message, ...(err.field === undefined ? {} : { field: err.field }) } : { message: String(err) });
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (field: string): React.JSX.Element | null =>
    error?.field === field ? (
      <p className="field-error" role="alert" data-testid={`error-${field}`}>
        {error.message}
      </p>
    ) : null;

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} aria-label="Add store">
      <h2>Add a store</h2>
      <label>
        Store name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Acme Coffee" required data-testid="store-name" />
      </label>
      {fieldError('name')}
      <label>
        Shopify domain
        <input value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="acme-coffee.myshopify.com" data-testid="store-domain" />
      </label>
      {fieldError('shopDomain')}
      <fieldset>
        <legend>Postscript account</legend>
        <label className="inline">
          <input type="radio" name="account" checked={account === 'sandbox'} onChange={() => setAccount('sandbox')} data-testid="account-sandbox" />
          Sandbox (built in; texts no one)
        </label>
        <label className="inline">
          <input type="radio" name="account" checked={account === 'live'} onChange={() => setAccount('live')} data-testid="account-live" />
          Live Postscript
        </label>
        {account === 'live' && (
          <p className="banner warning" role="note">
            Live keys are real: test events go to real subscribers, and Postscript can text real phones.
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Private API key for Skio</legend>
        {account === 'sandbox' && (
          <>
            <label className="inline">
              <input type="radio" name="keymode" checked={keyMode === 'generate'} onChange={() => setKeyMode('generate')} data-testid="key-generate" />
              Create a new Sandbox shop and key for this store
            </label>
            <label className="inline">
              <input type="radio" name="keymode" checked={keyMode === 'paste'} onChange={() => setKeyMode('paste')} data-testid="key-paste" />
              Paste a key
            </label>
          </>
        )}
        {pasting && (
          <label>
            API key
            <input
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
              placeholder="sk_…"
              data-testid="api-key"
            />
            <span className="hint">Create a new private key specific to Skio in Postscript → Settings → API.</span>
          </label>
        )}
        {fieldError('apiKey')}
      </fieldset>
      <label>
        Test Event User phone
        <input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+1 555 555 0100" data-testid="test-phone" />
        <span className="hint">A Postscript subscriber who receives test events. In the Sandbox, +1 555 555 0100 can receive transactional texts.</span>
      </label>
      {fieldError('testPhone')}
      {error !== null && error.field === undefined && (
        <p className="banner error" role="alert" data-testid="form-error">
          {error.message}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy} data-testid="create-store">
          {busy ? 'Checking key…' : 'Validate key and add store'}
        </button>
      </div>
    </form>
  );
}
