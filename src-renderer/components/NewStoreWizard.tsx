/**
 * Wizard steps a and b, before a store exists: the store, then its keyword and a new private key.
 * The draft (never the key) is saved in main as the agent types, so a restart loses nothing.
 */
import { useEffect, useRef, useState } from 'react';
import { AppError } from '../../src-shared/errors';
import type { WizardDraft } from '../../src-shared/ipc/contract';
import { normalizeShopDomain } from '../../src-shared/validation/domain';
import { checkNewStoreKeyword } from '../../src-shared/rules/keyword';
import { api } from '../api';
import { useStores } from '../state/stores';
import { SetupStepper } from './SetupStepper';

const EMPTY: WizardDraft = { step: 'store', name: '', shopDomain: '', account: 'sandbox', keyword: '', testPhone: '' };

export function NewStoreWizard(props: { onCreated: (storeId: string) => void; onCancel: () => void; onOpenStore: (storeId: string) => void }): React.JSX.Element {
  const [draft, setDraft] = useState<WizardDraft | null>(null);
  const [keyMode, setKeyMode] = useState<'generate' | 'paste'>('generate');
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  /** The store already set up with this domain (a conflict on save): offered to open instead. */
  const [existingId, setExistingId] = useState<string | null>(null);
  /** The first step's own checks, one per field: Next with both empty flags both. */
  const [storeErrors, setStoreErrors] = useState<{ name?: string; shopDomain?: string }>({});
  /** Opened on the key step from a saved draft: the key was never kept and must be pasted again. */
  const [resumedOnKey, setResumedOnKey] = useState(false);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const unsaved = useRef<WizardDraft | null>(null);

  useEffect(() => {
    void api.wizard.getDraft({}).then((d) => {
      setDraft(d ?? EMPTY);
      setResumedOnKey(d !== null && d.step === 'key');
    });
    // Leaving the wizard saves what was typed at once rather than dropping it.
    return () => {
      if (saveTimer.current !== null) clearTimeout(saveTimer.current);
      if (unsaved.current !== null) void api.wizard.saveDraft(unsaved.current);
    };
  }, []);

  if (draft === null) return <p className="muted">Loading…</p>;
  const d = draft;

  const update = (change: Partial<WizardDraft>): void => {
    const next = { ...d, ...change };
    // Editing a field takes its complaint away; the next check says what is still wrong.
    if (change.name !== undefined || change.shopDomain !== undefined) {
      setStoreErrors((e) => ({ ...(change.name === undefined ? { name: e.name } : {}), ...(change.shopDomain === undefined ? { shopDomain: e.shopDomain } : {}) }));
    }
    setDraft(next);
    // Saved shortly after typing stops: leaving or restarting the app keeps the draft.
    unsaved.current = next;
    if (saveTimer.current !== null) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => {
      unsaved.current = null;
      void api.wizard.saveDraft(next);
    }, 300);
  };
  /** Drops a save still waiting: after the store is created, it would bring the draft back. */
  const cancelPendingSave = (): void => {
    if (saveTimer.current !== null) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    unsaved.current = null;
  };
  const goTo = (step: WizardDraft['step'], change: Partial<WizardDraft> = {}): void => {
    const next = { ...d, ...change, step };
    cancelPendingSave();
    setDraft(next);
    setError(null);
    void api.wizard.saveDraft(next);
  };

  /** Giving up (Cancel, or opening the store that already exists) leaves no draft and no imported settings behind. */
  const abandon = async (then: () => void): Promise<void> => {
    cancelPendingSave();
    await api.wizard.clearDraft({});
    then();
  };

  const domain = d.shopDomain.trim() === '' ? null : normalizeShopDomain(d.shopDomain);
  /** "Set the keyword later" chosen: no keyword is sent, and the store says so. */
  const later = d.keywordLater === true;
  const pasting = d.account === 'live' || keyMode === 'paste';

  async function importFile(file: File | undefined): Promise<void> {
    if (file === undefined) return;
    setError(null);
    try {
      setDraft(await api.wizard.importConfig({ json: await file.text(), fileName: file.name }));
    } catch (err) {
      setError(err instanceof AppError ? { message: err.message } : { message: String(err) });
    }
  }

  /** A refusal of the store step (domain taken): shown under its field, with the store to open instead. */
  function refuse(err: unknown, shopDomain: string): void {
    const e2 = err instanceof AppError ? { message: err.message, ...(err.field === undefined ? {} : { field: err.field }) } : { message: String(err) };
    setError(e2);
    const taken = err instanceof AppError && err.code === 'conflict' && e2.field === 'shopDomain' ? useStores.getState().directory.find((s) => s.shopDomain === shopDomain) : undefined;
    setExistingId(taken?.id ?? null);
  }

  async function create(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    const typed = checkNewStoreKeyword(d.keyword, later);
    if (!typed.ok) {
      setError({ message: typed.message, field: 'keyword' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const detail = await api.stores.create({
        name: d.name,
        shopDomain: d.shopDomain,
        account: d.account,
        credential: pasting ? { kind: 'paste', apiKey } : { kind: 'sandbox_new_key' },
        ...(later ? { keywordLater: true } : { keyword: d.keyword }),
        ...(d.testPhone.trim() === '' ? {} : { testPhone: d.testPhone }),
        ...(d.triggers === undefined ? {} : { triggers: d.triggers }),
      });
      setApiKey('');
      cancelPendingSave();
      await api.wizard.clearDraft({});
      props.onCreated(detail.id);
    } catch (err) {
      // A store-step mistake (domain taken meanwhile, bad name) is fixed on the first step, where it is shown.
      if (err instanceof AppError && (err.field === 'shopDomain' || err.field === 'name')) goTo('store');
      refuse(err, d.shopDomain);
    } finally {
      setBusy(false);
    }
  }

  const stepError = (field: string, message: string): React.JSX.Element => (
    <p className="field-error" role="alert" data-testid={`error-${field}`}>
      {message}
    </p>
  );
  const fieldError = (field: string): React.JSX.Element | null =>
    error?.field === field ? (
      <p className="field-error" role="alert" data-testid={`error-${field}`}>
        {error.message}
      </p>
    ) : null;

  return (
    <div className="wizard">
      <SetupStepper
        steps={[
          { key: 'store', label: '1 Store', finished: d.step === 'key', current: d.step === 'store', ...(d.step === 'key' ? { onOpen: () => goTo('store') } : {}) },
          { key: 'keyword', label: '2 Keyword and key', finished: false, current: d.step === 'key' },
          // The next steps open on the store's page, once it exists.
          { key: 'user', label: '3 Test Event User', finished: false, current: false },
          { key: 'events', label: '4 Events', finished: false, current: false },
          { key: 'test', label: '5 Send tests', finished: false, current: false },
        ]}
      />
      {d.importedFrom !== undefined && (
        <p className="banner info small" role="status">
          Set up from {d.importedFrom}. Enter a new API key for this machine; settings and events come from the file.
        </p>
      )}
      {d.step === 'store' ? (
        <form
          className="card form"
          aria-label="Store"
          onSubmit={(e) => {
            e.preventDefault();
            const problems = {
              ...(d.name.trim() === '' ? { name: 'Give the store a name.' } : {}),
              ...(domain === null ? { shopDomain: 'Enter the store’s Shopify domain, e.g. acme-coffee.myshopify.com.' } : domain.ok ? {} : { shopDomain: domain.message }),
            };
            setStoreErrors(problems);
            setError(null);
            setExistingId(null);
            if (Object.keys(problems).length > 0 || domain === null || !domain.ok) return;
            const saved = domain.domain;
            // A domain already set up here is said now, not after the keyword and key (main decides).
            setBusy(true);
            api.wizard
              .checkStore({ shopDomain: saved })
              // The next step shows the domain as it will be saved (lowercase, with .myshopify.com).
              .then(() => goTo('key', { shopDomain: saved }), (err: unknown) => refuse(err, saved))
              .finally(() => setBusy(false));
          }}
        >
          <h2>Add a store</h2>
          <label>
            Store name
            <input value={d.name} onChange={(e) => update({ name: e.target.value })} placeholder="Acme Coffee" aria-invalid={storeErrors.name !== undefined} data-testid="store-name" />
          </label>
          {storeErrors.name !== undefined ? stepError('name', storeErrors.name) : fieldError('name')}
          <label>
            Shopify domain
            <input value={d.shopDomain} onChange={(e) => update({ shopDomain: e.target.value })} placeholder="acme-coffee.myshopify.com" aria-invalid={storeErrors.shopDomain !== undefined} data-testid="store-domain" />
            {/* One sentence at a time: the hint while typing, the same words as the error after Next. */}
            {domain !== null &&
              storeErrors.shopDomain === undefined &&
              (domain.ok ? (
                <span className="hint">Saved as {domain.domain}</span>
              ) : (
                <span className="hint warning-text" data-testid="domain-hint">
                  {domain.message}
                </span>
              ))}
          </label>
          {storeErrors.shopDomain !== undefined ? stepError('shopDomain', storeErrors.shopDomain) : fieldError('shopDomain')}
          {existingId !== null && error?.field === 'shopDomain' && (
            <div className="actions">
              <button type="button" onClick={() => void abandon(() => props.onOpenStore(existingId))} data-testid="open-existing-store">
                Open {useStores.getState().byId[existingId]?.name ?? 'that store'}
              </button>
            </div>
          )}
          <fieldset>
            <legend>Postscript account</legend>
            <label className="inline">
              <input type="radio" name="account" checked={d.account === 'sandbox'} onChange={() => update({ account: 'sandbox' })} data-testid="account-sandbox" />
              Sandbox (built in; texts no one)
            </label>
            <label className="inline">
              <input type="radio" name="account" checked={d.account === 'live'} onChange={() => update({ account: 'live' })} data-testid="account-live" />
              Live Postscript
            </label>
            {d.account === 'live' && (
              <p className="banner warning" role="note">
                Live keys are real: test events go to real subscribers, and Postscript can text real phones.
              </p>
            )}
          </fieldset>
          {error !== null && error.field === undefined && (
            <p className="banner error" role="alert" data-testid="form-error">
              {error.message}
            </p>
          )}
          <div className="actions">
            <label className="file-button">
              Import a hand-over file…
              <input type="file" accept=".json,application/json" onChange={(e) => void importFile(e.target.files?.[0])} data-testid="import-config" />
            </label>
            <span className="spacer" />
            <button type="button" onClick={() => void abandon(props.onCancel)} data-testid="cancel-wizard">
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy} data-testid="next-step">
              Next
            </button>
          </div>
        </form>
      ) : (
        <form className="card form" onSubmit={(e) => void create(e)} aria-label="Keyword and key">
          <h2>
            {d.name} <span className="muted small">{d.shopDomain}</span>
          </h2>
          {/* No placeholder: a grey example in the field reads as if it were filled in. */}
          <label>
            Keyword trigger
            <input
              value={later ? '' : d.keyword}
              onChange={(e) => update({ keyword: e.target.value })}
              disabled={later}
              aria-required={!later}
              aria-invalid={error?.field === 'keyword'}
              data-testid="keyword"
            />
            <span className="hint">The keyword subscribers text to opt in, for example JOIN; it must exist in the store’s Postscript account.</span>
          </label>
          <label className="inline">
            <input type="checkbox" checked={later} onChange={(e) => update({ keywordLater: e.target.checked })} data-testid="keyword-later" />
            Set the keyword later (the store’s page and its go-live checks will say it is not set)
          </label>
          {fieldError('keyword')}
          <fieldset>
            <legend>Private API key for Skio</legend>
            {d.account === 'sandbox' && (
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
                <input type="password" autoComplete="off" spellCheck={false} value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder="sk_…" data-testid="api-key" />
                <span className="hint">Create a new private key specific to Skio in Postscript → Settings → API. Never reuse another integration’s key.</span>
                {resumedOnKey && apiKey === '' && (
                  <span className="hint warning-text" data-testid="key-not-kept">
                    The key is never kept with a saved setup: paste it again.
                  </span>
                )}
              </label>
            )}
            {fieldError('apiKey')}
          </fieldset>
          {error !== null && error.field === undefined && (
            <p className="banner error" role="alert" data-testid="form-error">
              {error.message}
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={() => goTo('store')} disabled={busy}>
              Back
            </button>
            <button type="submit" className="primary" disabled={busy} data-testid="create-store">
              {busy ? 'Checking with Postscript…' : 'Validate and save store'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
