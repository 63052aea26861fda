/** Page object: the Data health screen and its banner, as an agent meets them on a bad day. */
import type { Locator, Page } from 'playwright-core';

export class DataHealthPage {
  constructor(readonly page: Page) {}

  banner(): Locator {
    return this.page.getByTestId('data-health-banner');
  }

  /** From the banner, as an agent who just read it would. */
  async openFromBanner(): Promise<void> {
    await this.banner().getByRole('button', { name: 'Open Data health' }).click();
    await this.page.getByTestId('data-health').waitFor();
  }

  async openFromSidebar(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Data health' }).click();
    await this.page.getByTestId('data-health').waitFor();
  }

  state(): Locator {
    return this.page.getByTestId('data-health-state');
  }

  backupRows(): Locator {
    return this.page.getByTestId('backups').locator('tbody tr');
  }

  /** Restores the newest good backup, accepting the confirmation. */
  async restoreNewest(): Promise<string> {
    this.page.once('dialog', (d) => void d.accept());
    await this.page.getByTestId('restore-newest').click();
    const note = this.page.getByTestId('data-health-note');
    await note.waitFor();
    return (await note.textContent()) ?? '';
  }
}
