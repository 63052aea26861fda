/**
 * One record of what Postscript last said about each store (issue 17 items 1 and 2): a check that
 * was never made is "not checked yet", never a pass; and whichever path asks Postscript (set-up,
 * the automatic check of a store saved offline, Check health, the health watch, Re-check, key
 * rotation, the SKIP tester's set-up), the readiness panel and report, the stores list's health,
 * the needs-attention count and the alerts all agree afterwards.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckStatus, HealthStatus } from '../../src-shared/ipc/contract';
import { Sandbox } from '../../src-main/sandbox/server';
import { holdDownPort } from '../helpers/connectProxy';
import { coresPerTest, startCore, type TestCore } from '../helpers/core';
import { completedStore } from '../helpers/golive';
import { makeTempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/waitFor';

const core = coresPerTest();
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

interface Views {
  checks: Record<string, CheckStatus>;
  overall: CheckStatus;
  /** The stores list's health (badge), as watchStatus gives it. */
  health: HealthStatus | null;
  problems: string[];
  /** "Needs attention (n)": unarchived stores whose health is amber or red. */
  attention: number;
  alerts: string[];
}

async function views(c: TestCore, storeId: string): Promise<Views> {
  const r = await c.ok('readiness', 'get', { storeId });
  const watch = await c.ok('readiness', 'watchStatus', {});
  const list = await c.ok('stores', 'list', {});
  const mine = watch.stores.find((s) => s.storeId === storeId);
  const active = new Set(list.filter((s) => !s.archived).map((s) => s.id));
  return {
    checks: Object.fromEntries(r.checks.map((x) => [x.id, x.status])),
    overall: r.overall,
    health: mine?.status ?? null,
    problems: mine?.problems ?? [],
    attention: watch.stores.filter((s) => active.has(s.storeId) && (s.status === 'amber' || s.status === 'red')).length,
    alerts: c.sentToRenderer
      .map((t) => JSON.parse(t) as { event?: string; payload?: { storeId: string; problems: string[] } })
      .filter((m) => m.event === 'healthAlert' && m.payload!.storeId === storeId)
      .map((m) => m.payload!.problems.join(' ')),
  };
}

function shopOf(c: TestCore, storeId: string): ReturnType<Sandbox['state']['shopById']> & object {
  return c.core.ctx.sandbox.state.shopById(c.core.ctx.repo.getStore(storeId)!.postscriptShopId!)!;
}

describe('every path that asks Postscript updates what every view reads', () => {
  it('set-up, Check health, key rotation, Re-check, the SKIP set-up and the health watch: panel, health, count and alerts agree', async () => {
    const c = await core();
    // Set-up (the wizard): the key, the keyword list and the Test Event User, each with its time.
    const id = await completedStore(c);
    let v = await views(c, id);
    expect(v).toMatchObject({ overall: 'pass', health: 'green', attention: 0, alerts: [] });
    expect((await c.ok('readiness', 'get', { storeId: id })).checks.find((x) => x.id === 'key')!.evidence).toMatch(/asked by set-up\)\.$/);

    // The header's Check health finds a refused key: fail, red, counted, one alert.
    await c.ok('readiness', 'revokeSandboxKey', { storeId: id });
    await c.ok('stores', 'checkHealth', { storeId: id });
    v = await views(c, id);
    expect(v.checks.key).toBe('fail');
    expect(v).toMatchObject({ health: 'red', attention: 1, problems: [expect.stringMatching(/^Postscript refuses the API key/)] });
    expect(v.alerts).toEqual([expect.stringMatching(/^Postscript refuses the API key/)]);

    // A new key: accepted by Postscript, so the old key's refusal counts no more anywhere.
    await c.ok('stores', 'rotateKey', { storeId: id, credential: { kind: 'sandbox_new_key' } });
    v = await views(c, id);
    expect(v).toMatchObject({ health: 'green', attention: 0, problems: [] });
    expect(v.checks.key).toBe('pass');
    expect(v.alerts).toHaveLength(1);

    // Re-check reads the keyword list: JOIN deleted in Postscript fails the check and counts.
    const shop = shopOf(c, id);
    const join = shop.keywords.find((k) => k.keyword === 'JOIN')!;
    shop.keywords = shop.keywords.filter((k) => k !== join);
    await c.ok('readiness', 'recheck', { storeId: id });
    v = await views(c, id);
    expect(v).toMatchObject({ health: 'amber', attention: 1, problems: ['The keyword JOIN is not one of the shop’s Postscript keywords.'] });
    expect(v.checks.keyword).toBe('fail');

    // The SKIP tester's set-up reads the list too: JOIN back in Postscript, the keyword passes again everywhere.
    shop.keywords.push(join);
    await c.ok('skip', 'setup', { storeId: id });
    v = await views(c, id);
    expect(v.checks.keyword).toBe('pass');
    expect((await c.ok('readiness', 'get', { storeId: id })).checks.find((x) => x.id === 'keyword')!.evidence).toMatch(/asked by the SKIP tester’s set-up/);
    expect(v).toMatchObject({ health: 'green', attention: 0 });

    // The health watch: the Test Event User opted out is red in the list and fails readiness.
    shop.subscribers.find((s) => s.phone_number === '+15555550100')!.transactional = false;
    await c.ok('readiness', 'runWatch', {});
    v = await views(c, id);
    expect(v.checks.test_user).toBe('warn');
    expect(v).toMatchObject({ health: 'red', attention: 1 });
    expect(v.alerts).toHaveLength(2);
    expect(v.alerts[1]).toMatch(/is not opted in to transactional texts/);
  });

  it('a live store set up offline with a keyword the shop lacks: not checked yet, never a pass; once Postscript is back the automatic check updates the panel, the report and the count', async () => {
    const exportsTmp = makeTempDir('psc-exports-');
    closers.push(exportsTmp.cleanup);
    const down = await holdDownPort();
    closers.push(() => down.release());
    const live = new Sandbox();
    const { privateKey } = live.state.createShop('Hotel Wifi Coffee');
    const c = await startCore({ liveBaseUrl: `http://127.0.0.1:${down.port}`, more: { exportsDir: path.join(exportsTmp.dir, 'reports') } });
    closers.push(() => c.close());
    const s = await c.ok('stores', 'create', {
      name: 'Hotel Wifi Coffee',
      shopDomain: 'hotel-wifi-coffee',
      account: 'live',
      keyword: 'NOPEWORD',
      testPhone: '+15555550100',
      credential: { kind: 'paste', apiKey: privateKey },
    });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_created', enabled: true });
    await c.ok('tests', 'sendAll', { storeId: s.id });

    // Nothing was asked of Postscript: every check that needs it says so, none passes.
    const before = await c.ok('readiness', 'get', { storeId: s.id });
    const by = Object.fromEntries(before.checks.map((x) => [x.id, x]));
    for (const idOf of ['key', 'test_user', 'keyword', 'skip_word', 'webhooks', 'event:subscription_created']) {
      expect(by[idOf]).toMatchObject({ status: 'unchecked', at: null });
    }
    expect(by.key!.evidence).toMatch(/Postscript has not been asked about the key ending \w{4} yet\. It was saved while Postscript was out of reach\./);
    expect(by.keyword!.evidence).toMatch(/^NOPEWORD has not been compared with the shop’s Postscript keywords yet/);
    expect(by['event:subscription_created']!.evidence).toBe('Skio_NewSubscriptionCreated is queued and has not been sent to Postscript yet.');
    // Nothing failed (SKIP only warns without the billing reminder), but nothing is verified either.
    expect(before.overall).toBe('unchecked');
    expect((await views(c, s.id)).health).toBeNull();

    // The report, read as the merchant reads the PDF: no PASS for a check not made, no "Ready".
    const files = await c.ok('readiness', 'report', { storeId: s.id });
    const html = fs.readFileSync(files.htmlPath, 'utf8');
    expect(html).toContain('data-check="keyword" data-status="unchecked"');
    expect(html).not.toContain('Evidence from: not yet');
    let pdfText = '';
    try {
      pdfText = execFileSync('pdftotext', ['-layout', files.pdfPath, '-'], { encoding: 'utf8' });
    } catch {
      if (process.env.PSC_REQUIRE_E2E === '1') throw new Error('pdftotext is missing: apt-get install poppler-utils.');
    }
    if (pdfText !== '') {
      const flat = pdfText.replace(/\s+/g, ' ');
      for (const title of ['API key valid', 'Keyword trigger exists', 'Live webhook registration', 'Test Event User can receive transactional texts']) {
        expect(flat).toContain(`NOT CHECKED ${title}`);
        expect(flat).not.toContain(`PASS ${title}`);
      }
      expect(flat).not.toMatch(/\bReady\b/);
      expect(flat).toMatch(/NOT CHECKED: Not verified yet: 6 checks not made with Postscript yet, so this report cannot say the store is ready: API key valid; Test Event User can receive transactional texts; Skio: New Subscription Created delivered to Postscript; Keyword trigger exists/);
      expect(flat).toMatch(/Your onboarding agent verifies them with Postscript/);
      expect(flat).not.toMatch(/Evidence from: (never|not yet)/);
    }

    // Postscript comes back: the automatic check asks it, and every view follows without a Re-check.
    await down.release();
    await live.listen(down.port, '127.0.0.1');
    closers.push(() => live.close());
    const after = await waitFor(
      () => c.ok('readiness', 'get', { storeId: s.id }),
      (r) => ['key', 'keyword', 'test_user'].every((k) => r.checks.find((x) => x.id === k)!.status !== 'unchecked'),
    );
    const keyword = after.checks.find((x) => x.id === 'keyword')!;
    expect(keyword).toMatchObject({ status: 'fail', evidence: expect.stringMatching(/^NOPEWORD is not one of the shop’s Postscript keywords \(it has: JOIN, COFFEECLUB\)\. Postscript answered .* \(asked by the automatic check once Postscript was reachable\)\.$/) });
    // The evidence is dated when Postscript said it, not when the store was made.
    expect(Date.parse(keyword.at!)).toBeGreaterThan(Date.parse(s.createdAt));
    expect(after.checks.find((x) => x.id === 'key')).toMatchObject({ status: 'pass' });
    expect(after.checks.find((x) => x.id === 'test_user')).toMatchObject({ status: 'pass' });
    const v = await views(c, s.id);
    expect(v).toMatchObject({ health: 'amber', attention: 1, problems: ['The keyword NOPEWORD is not one of the shop’s Postscript keywords.'] });
    expect(c.sentToRenderer.some((m) => m.includes('"alert"') && m.includes('“NOPEWORD” is not one of the shop’s keywords'))).toBe(true);
  });
});
