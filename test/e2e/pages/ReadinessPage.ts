/** Page objects for go-live: the store's Readiness panel and the stores list's health. */
import type { Locator, Page } from 'playwright-core';
import { downloadsDuring, type Downloaded } from './downloads';

export class ReadinessPanel {
  constructor(readonly page: Page) {}

  panel(): Locator {
    return this.page.getByTestId('readiness-panel');
  }

  check(id: string): Locator {
    return this.page.getByTestId(`check-${id}`);
  }

  async checkStatuses(): Promise<Record<string, string>> {
    const items = this.page.getByTestId('readiness-checks').locator('li[data-status]');
    const out: Record<string, string> = {};
    for (const li of await items.all()) out[((await li.getAttribute('data-testid')) ?? '').replace(/^check-/, '')] = (await li.getAttribute('data-status')) ?? '';
    return out;
  }

  /**
   * Presses Make report; returns the two files as the browser downloaded them, and where the app
   * keeps them (the paths the panel names).
   */
  async makeReport(): Promise<{ html: Downloaded; pdf: Downloaded; htmlPath: string; pdfPath: string }> {
    const got = await downloadsDuring(this.page, 2, () => this.page.getByTestId('readiness-report').click());
    const kept = await this.page.getByTestId('report-paths').getByTestId('exported-file').evaluateAll((els) => els.map((e) => e.getAttribute('data-path') ?? ''));
    return {
      html: got.find((d) => d.name.endsWith('.html'))!,
      pdf: got.find((d) => d.name.endsWith('.pdf'))!,
      htmlPath: kept.find((p) => p.endsWith('.html'))!,
      pdfPath: kept.find((p) => p.endsWith('.pdf'))!,
    };
  }

  /** Presses Make a new key and use it (Sandbox store); returns what the page says of it. */
  async makeNewKey(): Promise<string> {
    await this.panel().getByTestId('make-sandbox-key').click();
    return (await this.panel().getByTestId('new-sandbox-key-note').textContent()) ?? '';
  }

  async revokeSandboxKey(): Promise<void> {
    await this.page.getByTestId('revoke-sandbox-key').click();
    await this.page.getByTestId('revoke-confirm').click();
    await this.page.getByTestId('readiness-note').filter({ hasText: 'Key revoked' }).waitFor();
  }
}

export class StoresHealth {
  constructor(readonly page: Page) {}

  badge(storeName: string): Locator {
    return this.page.getByTestId('store-item').filter({ hasText: storeName }).getByTestId('health-badge');
  }

  /** The watch's one-line summary above the stores list ("Health watch: every 24 h"). */
  summary(): Locator {
    return this.page.getByTestId('health-watch').locator('summary');
  }

  async onlyNeedingAttention(on: boolean): Promise<void> {
    await this.page.getByTestId('filter-attention').setChecked(on);
  }
}
