/** Page objects: what an agent sees and does, named as the agent would name it. */
import type { Locator, Page } from 'playwright-core';

export class StoresPage {
  constructor(readonly page: Page) {}

  storeItems(): Locator {
    return this.page.getByTestId('store-item');
  }

  async openAddStore(): Promise<AddStoreForm> {
    await this.page.getByRole('button', { name: 'Add store' }).click();
    return new AddStoreForm(this.page);
  }

  async openStore(name: string): Promise<StoreDetailPage> {
    await this.storeItems().filter({ hasText: name }).click();
    await this.page.getByTestId('store-detail').waitFor();
    return new StoreDetailPage(this.page);
  }
}

export class AddStoreForm {
  constructor(readonly page: Page) {}

  async fill(values: { name: string; domain: string; account?: 'sandbox' | 'live'; apiKey?: string; phone?: string }): Promise<void> {
    await this.page.getByTestId('store-name').fill(values.name);
    await this.page.getByTestId('store-domain').fill(values.domain);
    await this.page.getByTestId(values.account === 'live' ? 'account-live' : 'account-sandbox').check();
    if (values.apiKey !== undefined) {
      if (values.account !== 'live') await this.page.getByTestId('key-paste').check();
      await this.page.getByTestId('api-key').fill(values.apiKey);
    } else if (values.account !== 'live') {
      await this.page.getByTestId('key-generate').check();
    }
    if (values.phone !== undefined) await this.page.getByTestId('test-phone').fill(values.phone);
  }

  async submit(): Promise<void> {
    await this.page.getByTestId('create-store').click();
  }

  keyError(): Locator {
    return this.page.getByTestId('error-apiKey');
  }

  formError(): Locator {
    return this.page.getByTestId('form-error');
  }

  /** Waits until the form is no longer busy checking the key. */
  async settled(): Promise<void> {
    await this.page.getByTestId('create-store').and(this.page.locator(':not([disabled])')).waitFor();
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

  async enable(eventKey: string): Promise<void> {
    const toggle = this.page.getByTestId(`toggle-${eventKey}`);
    await toggle.check({ force: true });
    await this.page.getByTestId(`send-test-${eventKey}`).and(this.page.locator(':not([disabled])')).waitFor();
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
  async go(tab: 'Stores' | 'Batches' | 'Delivery log' | 'Sandbox'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: tab }).click();
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

  /** The progress bar's value and maximum. */
  async progress(name: string): Promise<{ value: number; max: number }> {
    const bar = this.batch(name).getByTestId('batch-progress');
    return { value: Number(await bar.getAttribute('value')), max: Number(await bar.getAttribute('max')) };
  }
}
