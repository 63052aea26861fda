/**
 * "Setup complete" only when it is (issue 17 item 3): a store whose setup steps are done but whose
 * go-live checks fail (no SKIP round trip yet) says both, in the stores list and on its summary
 * card, and reads as complete once nothing fails and nothing is unchecked.
 */
import { describe, expect, it } from 'vitest';
import { setupHeading, setupProgressText } from '../../src-shared/rules/setupState';
import { coresPerTest } from '../helpers/core';

const core = coresPerTest();

describe('what "set up" says', () => {
  it('a store with every test sent but no SKIP round trip is "Set up · go-live: 1 check fails", then "✓ set up" once SKIP works', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'billing_reminder', enabled: true });
    const before = (await c.ok('stores', 'list', {}))[0]!;
    expect(before.goLive).toBeNull();
    expect(setupProgressText(before, before.goLive)).toBe('0 of 1 events sent');
    expect((await c.sendTest(s.id, 'billing_reminder')).item.state).toBe('delivered');

    // Every step done; the billing reminder tells subscribers to reply SKIP, and SKIP was never tried.
    const row = (await c.ok('stores', 'byIds', { storeIds: [s.id] }))[0]!;
    expect(row).toMatchObject({ setupComplete: true, goLive: { fail: 1, unchecked: 0 } });
    expect(setupProgressText(row, row.goLive)).toBe('Set up · go-live: 1 check fails');
    const detail = await c.ok('stores', 'get', { storeId: s.id });
    expect(setupHeading(detail, detail.goLive)).toBe('Set up · go-live: 1 check fails');
    expect((await c.ok('readiness', 'get', { storeId: s.id })).checks.filter((x) => x.status === 'fail').map((x) => x.id)).toEqual(['skip']);

    await c.ok('skip', 'setSubscription', { storeId: s.id, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });
    await c.ok('skip', 'simulate', { storeId: s.id, variant: 'skip' });
    const done = (await c.ok('stores', 'byIds', { storeIds: [s.id] }))[0]!;
    expect(done.goLive).toMatchObject({ fail: 0, unchecked: 0 });
    expect(setupProgressText(done, done.goLive)).toBe('✓ set up · 1 event');
    expect(setupHeading(done, done.goLive)).toBe('Setup complete');
  });

  it('a check not made yet keeps a store from reading as complete', () => {
    const facts = { keyStatus: 'valid', keyword: 'JOIN', testUserStatus: 'ok', enabledEvents: 2, testedEvents: 2 } as const;
    expect(setupProgressText(facts, { fail: 0, unchecked: 1, warn: 0 })).toBe('Set up · go-live: 1 check not checked yet');
    expect(setupProgressText(facts, { fail: 2, unchecked: 3, warn: 0 })).toBe('Set up · go-live: 2 checks fail, 3 checks not checked yet');
    // Warnings alone do not keep it from complete: each is read on the readiness panel.
    expect(setupHeading(facts, { fail: 0, unchecked: 0, warn: 2 })).toBe('Setup complete');
    expect(setupHeading({ ...facts, testedEvents: 1 }, null)).toBe('Setup needs attention');
  });
});
