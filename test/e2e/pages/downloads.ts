/**
 * Files the app hands over as downloads (browser shell): what the agent's browser saves, read back.
 */
import fs from 'node:fs';
import type { Download, Page } from 'playwright-core';

export interface Downloaded {
  name: string;
  /** Where the browser saved it (a temporary file of Playwright's). */
  file: string;
  text: string;
}

/** Runs `action` and returns the `count` downloads it started, in the order they arrived. */
export async function downloadsDuring(page: Page, count: number, action: () => Promise<unknown>): Promise<Downloaded[]> {
  const seen: Download[] = [];
  const all = new Promise<void>((resolve) => {
    const on = (d: Download): void => {
      seen.push(d);
      if (seen.length === count) {
        page.off('download', on);
        resolve();
      }
    };
    page.on('download', on);
  });
  await action();
  await all;
  return Promise.all(
    seen.map(async (d) => {
      const file = await d.path();
      return { name: d.suggestedFilename(), file, text: fs.readFileSync(file, 'utf8') };
    }),
  );
}
