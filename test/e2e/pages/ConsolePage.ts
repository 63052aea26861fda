/** Page objects: what an agent sees and does, named as the agent would name it. */
import type { Locator, Page } from 'playwright-core';
import { downloadsDuring, type Downloaded } from './downloads';

export class StoresPage {
  constructor(readonly page: Page) {}

  storeItems(): Locator {
    return this.page.getByTestId('store-item');
  }

  async openAddStore(): Promise<AddStoreForm> {
    await this.page.getByRole('button', { name: 'Add store' }).click();
    return new AddStoreForm(this.page);
  }

  /** A store's entry in the list: its progress text ("0 of 3 events sent", "✓ set up · 3 events"). */
  progress(name: string): Locator {
    return this.storeItems().filter({ hasText: name }).getByTestId('store-progress');
  }

  /** The "Setup not finished: continue" card of a saved new-store draft. */
  draftCard(): Locator {
    return this.page.getByTestId('resume-draft');
  }

  async openStore(name: string): Promise<StoreDetailPage> {
    await this.storeItems().filter({ hasText: name }).click();
    await this.page.getByTestId('store-detail').waitFor();
    return new StoreDetailPage(this.page);
  }
}

export class AddStoreForm {
  constructor(readonly page: Page) {}

  /** Step 1: the store. */
  async fillStore(values: { name: string; domain: string; account?: 'sandbox' | 'live' }): Promise<void> {
    await this.page.getByTestId('store-name').fill(values.name);
    await this.page.getByTestId('store-domain').fill(values.domain);
    await this.page.getByTestId(values.account === 'live' ? 'account-live' : 'account-sandbox').check();
  }

  async next(): Promise<void> {
    await this.page.getByTestId('next-step').click();
  }

  /** Step 2: keyword and key (a pasted key, or a new Sandbox key when none is given). */
  async fillKey(values: { keyword?: string; apiKey?: string; account?: 'sandbox' | 'live' }): Promise<void> {
    await this.page.getByTestId('keyword').fill(values.keyword ?? 'JOIN');
    if (values.apiKey !== undefined) {
      if (values.account !== 'live') await this.page.getByTestId('key-paste').check();
      await this.page.getByTestId('api-key').fill(values.apiKey);
    } else if (values.account !== 'live') {
      await this.page.getByTestId('key-generate').check();
    }
  }

  /** Both steps, without submitting. */
  async fill(values: { name: string; domain: string; account?: 'sandbox' | 'live'; apiKey?: string; keyword?: string }): Promise<void> {
    await this.fillStore(values);
    await this.next();
    await this.fillKey(values);
  }

  async submit(): Promise<void> {
    await this.page.getByTestId('create-store').click();
  }

  /** Gives up on this store: Cancel on the first step. */
  async cancel(): Promise<void> {
    await this.page.getByTestId('cancel-wizard').click();
  }

  /** Starts from a hand-over file, as if picked with "Import a hand-over file…". */
  async importFile(name: string, json: string): Promise<void> {
    await this.page.getByTestId('import-config').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(json) });
  }

  /** The banner of a draft started from a hand-over file. */
  importedBanner(): Locator {
    return this.page.getByText(/^Set up from /);
  }

  fieldError(field: string): Locator {
    return this.page.getByTestId(`error-${field}`);
  }

  keyError(): Locator {
    return this.fieldError('apiKey');
  }

  formError(): Locator {
    return this.page.getByTestId('form-error');
  }
}

export class StoreDetailPage {
  constructor(readonly page: Page) {}

  title(): Locator {
    return this.page.getByTestId('store-title');
  }
  shopName(): Locator {
    return this.page.getByTestId('postscript-shop-name');
  }
  keyMask(): Locator {
    return this.page.getByTestId('key-mask');
  }

  /** Step 3: looks the phone up in Postscript; returns the verdict shown. */
  async checkTestUser(phone: string): Promise<{ status: string | null; text: string | null }> {
    await this.page.getByTestId('test-phone').fill(phone);
    await this.page.getByTestId('check-test-user').click();
    const result = this.page.getByTestId('test-user-result').or(this.page.getByTestId('test-user-error'));
    await result.first().waitFor();
    await this.page.getByTestId('check-test-user').and(this.page.locator(':not([disabled])')).waitFor();
    const r = this.page.getByTestId('test-user-result');
    if ((await r.count()) === 0) return { status: 'error', text: await this.page.getByTestId('test-user-error').textContent() };
    return { status: await r.getAttribute('data-status'), text: await r.textContent() };
  }

  /** Rotate key with this key; the error shown, or null when the key was replaced. */
  async rotateKey(key: string): Promise<string | null> {
    const field = this.page.getByTestId('new-api-key');
    if (!(await field.isVisible())) await this.page.getByTestId('rotate-key').click();
    await field.fill(key);
    await this.page.getByRole('button', { name: 'Validate and replace' }).click();
    await this.page.waitForFunction(() => document.querySelector('[data-testid="rotate-error"]') !== null || document.querySelector('[data-testid="new-api-key"]') === null);
    const error = this.page.getByTestId('rotate-error');
    return (await error.count()) > 0 ? await error.textContent() : null;
  }

  /** Set keyword / Change keyword in the store's header; the error shown, or null when it was saved. */
  async setKeyword(keyword: string): Promise<string | null> {
    const field = this.page.getByTestId('keyword-input');
    if (!(await field.isVisible())) await this.page.getByTestId('edit-keyword').click();
    await field.fill(keyword);
    await this.page.getByTestId('save-keyword').click();
    await this.page.waitForFunction(() => document.querySelector('[data-testid="keyword-error"]') !== null || document.querySelector('[data-testid="keyword-input"]') === null);
    const error = this.page.getByTestId('keyword-error');
    return (await error.count()) > 0 ? await error.textContent() : null;
  }

  async goToStep(step: 'user' | 'events' | 'test' | 'done'): Promise<void> {
    await this.page.getByTestId(`step-${step}`).click();
    await this.page.locator(`[data-testid="step-${step}"][aria-current="step"]`).waitFor();
  }

  async toEvents(): Promise<void> {
    await this.page.getByTestId('to-events').click();
    await this.page.getByTestId('to-tests').waitFor();
  }

  /** Step 4: turns an event on (waits until saved). */
  async enable(eventKey: string): Promise<void> {
    await this.page.getByTestId(`toggle-${eventKey}`).check({ force: true });
    await this.page.locator(`[data-testid="trigger-${eventKey}"].on`).waitFor();
    await this.page.getByTestId('to-tests').and(this.page.locator(':not([disabled])')).waitFor();
  }

  async toTests(): Promise<void> {
    await this.page.getByTestId('to-tests').click();
    await this.page.getByTestId('send-all').waitFor();
  }

  /** Steps 3–5 for a store whose Sandbox subscriber can receive texts. */
  async quickSetup(eventKey: string, phone = '+1 555 555 0100'): Promise<void> {
    await this.checkTestUser(phone);
    await this.toEvents();
    await this.enable(eventKey);
    await this.toTests();
  }

  async sendAll(): Promise<void> {
    await this.page.getByTestId('send-all').click();
  }

  /** A step pill; `data-finished` says whether its work is done, `aria-current` on its button whether it is open. */
  pill(step: 'store' | 'keyword' | 'user' | 'events' | 'test' | 'done'): Locator {
    return this.page.getByTestId(`pill-${step}`);
  }

  async openStep(): Promise<string | null> {
    const current = this.page.locator('[data-testid^="step-"][aria-current="step"]');
    await current.waitFor();
    return ((await current.getAttribute('data-testid')) ?? '').replace(/^step-/, '') || null;
  }

  async sendTest(eventKey: string): Promise<void> {
    await this.page.getByTestId(`send-test-${eventKey}`).click();
  }

  status(eventKey: string): Locator {
    return this.page.getByTestId(`status-${eventKey}`);
  }

  deliveryRows(): Locator {
    return this.page.getByTestId('delivery-row');
  }
}

export class Navigation {
  constructor(readonly page: Page) {}

  /** Reloads the page (as F5 / Ctrl+R would) and waits for the app to be ready again. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.locator('[data-testid="app"][data-ready="true"]').waitFor();
  }

  /** The screen the main navigation marks as open. */
  async current(): Promise<string | null> {
    return this.page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]').textContent();
  }

  async go(tab: 'Stores' | 'Batches' | 'Delivery log' | 'SKIP tester' | 'Sandbox' | 'Data health' | 'Team' | 'Settings'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: tab }).click();
    // Screens other than Stores load on first opening: wait until this one is on the page.
    await this.page.getByTestId('screen-loading').waitFor({ state: 'detached' });
  }
}

export class BatchesPage {
  constructor(readonly page: Page) {}

  async startBatch(options: { name: string; csv?: string }): Promise<void> {
    await this.page.getByTestId('new-batch').click();
    await this.page.getByTestId('batch-name').fill(options.name);
    if (options.csv !== undefined) {
      await this.page.getByTestId('batch-stores-csv').check();
      await this.page.getByTestId('batch-csv').fill(options.csv);
    } else {
      await this.page.getByTestId('batch-stores-all').check();
    }
    await this.page.getByTestId('start-batch').click();
  }

  batch(name: string): Locator {
    return this.page.getByTestId('batch').filter({ hasText: name });
  }

  /** Why the batch's sends wait, as its card says it (empty when they do not). */
  async waitNote(name: string): Promise<string> {
    const note = this.batch(name).getByTestId('batch-wait');
    return (await note.count()) === 0 ? '' : ((await note.textContent()) ?? '');
  }

  /** Presses the batch's Export CSV; returns the CSV as downloaded. */
  async exportCsv(name: string): Promise<Downloaded> {
    const [csv] = await downloadsDuring(this.page, 1, () => this.batch(name).getByTestId('export-batch').click());
    return csv!;
  }

  /** The progress bar's value and maximum. */
  async progress(name: string): Promise<{ value: number; max: number }> {
    const bar = this.batch(name).getByTestId('batch-progress');
    return { value: Number(await bar.getAttribute('value')), max: Number(await bar.getAttribute('max')) };
  }
}

export class DeliveryLogPage {
  constructor(readonly page: Page) {}

  rows(): Locator {
    return this.page.getByTestId('delivery-row');
  }

  async search(text: string): Promise<void> {
    await this.page.getByTestId('log-search').fill(text);
  }

  async filterOutcome(outcome: string): Promise<void> {
    await this.page.getByTestId('filter-outcome').selectOption(outcome);
  }

  async filterStore(name: string): Promise<void> {
    await this.page.getByTestId('filter-store').fill(name);
  }

  async open(index: number): Promise<Locator> {
    await this.rows().nth(index).click();
    const detail = this.page.getByTestId('delivery-detail');
    await detail.waitFor();
    return detail;
  }

  /** Exports what the log shows; returns the file as downloaded, and where the app keeps it. */
  async export(format: 'csv' | 'json'): Promise<{ downloaded: Downloaded; kept: string }> {
    const [downloaded] = await downloadsDuring(this.page, 1, () => this.page.getByTestId(`export-${format}`).click());
    await this.page.getByTestId('export-status').filter({ hasText: /^Exported \d+ rows\.$/ }).waitFor();
    const kept = (await this.page.getByTestId('export-file').getByTestId('exported-file').getAttribute('data-path')) ?? '';
    return { downloaded: downloaded!, kept };
  }
}

export class SkipTesterPage {
  constructor(readonly page: Page) {}

  async setUp(): Promise<void> {
    await this.page.getByTestId('skip-setup').click();
    await this.page.getByTestId('token-mask').waitFor();
    await this.page.getByTestId('next-billing-date').waitFor();
  }

  /** Presses a simulation button; returns the dates shown before and after. */
  async simulate(variant: 'skip' | 'duplicate' | 'skip_please' | 'opted_out' | 'wrong_signature'): Promise<{ before: string; after: string; text: string }> {
    const result = this.page.getByTestId('simulate-result');
    const previous = (await result.count()) > 0 ? await result.textContent() : null;
    await this.page.getByTestId(`simulate-${variant}`).click();
    await this.page.getByTestId(`simulate-${variant}`).and(this.page.locator(':not([disabled])')).waitFor();
    await result.waitFor();
    void previous;
    return {
      before: (await this.page.getByTestId('date-before').textContent()) ?? '',
      after: (await this.page.getByTestId('date-after').textContent()) ?? '',
      text: (await result.textContent()) ?? '',
    };
  }
}

export class SettingsPage {
  constructor(readonly page: Page) {}

  field(id: string): Locator {
    return this.page.getByTestId(`setting-${id}`);
  }
  effective(id: string): Locator {
    return this.page.getByTestId(`setting-${id}-effective`);
  }
  note(id: string): Locator {
    return this.page.getByTestId(`setting-${id}-note`);
  }

  /** Fills the Network section's fields given and saves; returns the refusal shown, if any. */
  async saveNetwork(values: Partial<Record<'liveBaseUrl' | 'proxyUrl' | 'proxyUsername' | 'proxyPassword' | 'noProxy' | 'caFile', string>>): Promise<string | null> {
    for (const [k, v] of Object.entries(values)) await this.field(k).fill(v);
    await this.page.getByTestId('save-network').click();
    const section = this.page.getByTestId('settings-network');
    const outcome = section.getByRole('alert').or(section.getByRole('status').filter({ hasText: 'Saved' }));
    await outcome.first().waitFor();
    const alert = section.getByRole('alert');
    return (await alert.count()) > 0 ? await alert.first().textContent() : null;
  }

  async checkConnection(): Promise<string | null> {
    await this.page.getByTestId('check-connection').click();
    await this.page.getByTestId('connection-check').waitFor();
    return this.page.getByTestId('connection-check').textContent();
  }
}

export class OfflineBanner {
  constructor(readonly page: Page) {}
  banner(): Locator {
    return this.page.getByTestId('offline-banner');
  }
  nextTry(): Locator {
    return this.page.getByTestId('offline-next-try');
  }
  async retryNow(): Promise<void> {
    await this.page.getByTestId('offline-retry-now').click();
  }
}
