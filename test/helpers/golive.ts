/** Stores as an agent leaves them at the end of an onboarding call, for the go-live tests. */
import { expect } from 'vitest';
import type { TestCore } from './core';

/** A Sandbox store taken through the whole setup: key, Test Event User, two events sent, SKIP proven. */
export async function completedStore(c: TestCore, name = 'Acme Coffee', domain = 'acme-coffee'): Promise<string> {
  const s = await c.ok('stores', 'create', { name, shopDomain: domain, account: 'sandbox', keyword: 'JOIN', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
  for (const eventKey of ['billing_reminder', 'next_billing_date_updated']) {
    await c.ok('triggers', 'set', { storeId: s.id, eventKey, enabled: true });
    expect((await c.sendTest(s.id, eventKey)).item.state).toBe('delivered');
  }
  await c.ok('stores', 'setStep', { storeId: s.id, step: 'done' });
  await c.ok('skip', 'setSubscription', { storeId: s.id, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });
  const sim = await c.ok('skip', 'simulate', { storeId: s.id, variant: 'skip' });
  expect(sim).toMatchObject({ before: '2030-01-15', after: '2030-02-14' });
  // The skip queues "Next Billing Date Updated": wait until it has gone too, so nothing moves afterwards.
  await expect
    .poll(async () => (await c.ok('deliveries', 'list', { filter: { storeId: s.id, eventKey: 'next_billing_date_updated', outcome: 'delivered' } })).rows.length, { timeout: 10_000 })
    .toBe(2);
  return s.id;
}

