/**
 * The report is written for the merchant (issue 17 item 7), read from its PDF as they read it: a
 * Sandbox rehearsal says so on its first line; what to do is in the merchant's terms, not the
 * agent's buttons; no loopback address or internal store id; the attempts are explained; plurals.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coresPerTest } from '../helpers/core';
import { completedStore } from '../helpers/golive';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function pdfText(file: string): string | null {
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } catch {
    if (process.env.PSC_REQUIRE_E2E === '1') throw new Error('pdftotext is missing: apt-get install poppler-utils.');
    return null;
  }
}

describe('the report, as the merchant reads it', () => {
  it('a Sandbox store: first line says Sandbox rehearsal; merchant actions; no loopback address or store id; attempts explained', async () => {
    const tmp = makeTempDir('psc-exports-');
    cleanups.push(tmp.cleanup);
    const c = await core({ more: { exportsDir: path.join(tmp.dir, 'reports') } });
    const id = await completedStore(c);
    // The panel (the agent's) names the app's buttons and its listener's address...
    await c.ok('readiness', 'revokeSandboxKey', { storeId: id });
    await c.ok('stores', 'checkHealth', { storeId: id });
    const panel = await c.ok('readiness', 'get', { storeId: id });
    expect(panel.checks.find((x) => x.id === 'key')!.action).toMatch(/Press Make a new key and use it, below/);
    expect(panel.checks.find((x) => x.id === 'webhooks')!.evidence).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);

    // ...the report does not.
    const files = await c.ok('readiness', 'report', { storeId: id });
    const html = fs.readFileSync(files.htmlPath, 'utf8');
    // The page's text, as it reads (tags and styles left out), and the PDF's.
    const pageText = html.replace(/<style>[\s\S]*?<\/style>|<title>[\s\S]*?<\/title>/g, '').replace(/<[^>]+>/g, ' ');
    for (const text of [pageText, pdfText(files.pdfPath) ?? pageText]) {
      const flat = text.replace(/&#39;|’/g, "'").replace(/\s+/g, ' ').trim();
      expect(flat).toMatch(/^Sandbox rehearsal: this store uses Postscript Console's built-in Sandbox, not a real Postscript account/);
      expect(flat).not.toMatch(/127\.0\.0\.1|localhost/);
      expect(flat).not.toContain(id);
      expect(flat).not.toMatch(/\bPress\b|Make a new key|Rotate key|below/);
      expect(flat).toMatch(/What to do: Your onboarding agent makes a new Sandbox key for this rehearsal\./);
      expect(flat).toMatch(/Sandbox store: the onboarding agent.s local test listener/);
      expect(flat).toMatch(
        /3 attempts in all for 2 events\. Sent more than once: [^.]*Next Billing Date Updated \(2\)\. 1 of them was sent by the app itself after a SKIP reply moved the next billing date, as Skio does\. (?!The other)/,
      );
      expect(flat).toMatch(/Checks:? 7 passed, 0 warnings, 1 failed, 0 not checked yet/);
      expect(flat).not.toMatch(/Evidence from: (never|not yet)|\b1 warnings\b/);
    }
    // HTML and PDF come from one document: the PDF's very first line is the notice.
    const pdf = pdfText(files.pdfPath);
    if (pdf !== null) expect(pdf.trimStart().split('\n')[0]).toMatch(/^Sandbox rehearsal:/);
  });
});
