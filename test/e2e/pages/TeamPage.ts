/** Page object for Settings → Team and the sidebar's team status. */
import type { Locator, Page } from 'playwright-core';

export class TeamPage {
  constructor(readonly page: Page) {}

  async join(options: { url: string; name: string; passphrase?: string }): Promise<void> {
    await this.page.getByTestId('team-url').fill(options.url);
    await this.page.getByTestId('team-agent').fill(options.name);
    await this.page.getByTestId('team-connect').click();
    await this.page.locator('[data-testid="team-status"][data-state="connected"]').waitFor({ timeout: 20_000 });
    if (options.passphrase !== undefined) {
      await this.page.getByTestId('team-passphrase').fill(options.passphrase);
      await this.page.getByTestId('team-unlock').click();
      await this.page.getByRole('status').filter({ hasText: 'Passphrase accepted' }).waitFor({ timeout: 20_000 });
    }
  }

  /** The always-visible status line in the sidebar. */
  statusLine(): Locator {
    return this.page.getByTestId('team-status');
  }
}
