/** A batch never reaches an archived store: over all stores it takes the active ones; named ones are reported as archived. */
import { afterEach, describe, expect, it } from 'vitest';
import { startCore, type TestCore } from '../helpers/core';
import { waitFor } from '../helpers/waitFor';

const open: TestCore[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

async function storeWithEvent(c: TestCore, name: string): Promise<string> {
  const domain = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const s = await c.ok('stores', 'create', { name, shopDomain: domain, account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
  await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_renewed', enabled: true });
  return s.id;
}

describe('batches and archived stores', () => {
  it('a batch over all stores queues nothing for an archived store, though it has a Test Event User and events on', async () => {
    const c = await startCore();
    open.push(c);
    const active = await storeWithEvent(c, 'Active Shop');
    const archived = await storeWithEvent(c, 'Archived Shop');
    await c.ok('stores', 'archive', { storeId: archived, archived: true });
    const r = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    expect(r.batch.total).toBe(1);
    await waitFor(() => c.ok('batches', 'get', { batchId: r.batch.id }), (b) => b.status === 'done');
    const items = await c.ok('batches', 'items', { batchId: r.batch.id });
    expect(items.rows.map((i) => i.storeId)).toEqual([active]);
  });

  it('a CSV line or a chosen id naming an archived store is reported as archived, not sent', async () => {
    const c = await startCore();
    open.push(c);
    await storeWithEvent(c, 'Kept Shop');
    const archived = await storeWithEvent(c, 'Old Shop');
    await c.ok('stores', 'archive', { storeId: archived, archived: true });
    const csv = await c.ok('batches', 'create', { stores: { kind: 'csv', csv: 'shop_domain\nkept-shop.myshopify.com\nold-shop.myshopify.com' }, events: { kind: 'enabled' } });
    expect(csv.batch.total).toBe(1);
    expect(csv.skippedStores).toEqual([{ name: 'Old Shop', reason: 'archived' }]);
    expect(csv.unknownDomains).toEqual([]);
    // Only archived stores named: nothing to send, and the error says why.
    const onlyArchived = await c.call('batches', 'create', { stores: { kind: 'csv', csv: 'old-shop.myshopify.com' }, events: { kind: 'enabled' } });
    expect(onlyArchived).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'Archived, so not sent: old-shop.myshopify.com.' } });
    const byId = await c.call('batches', 'create', { stores: { kind: 'ids', storeIds: [archived] }, events: { kind: 'enabled' } });
    expect(byId).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
