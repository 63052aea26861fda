/** The stores list follows changes row by row: main says which stores changed, and hands out just those rows. */
import { describe, expect, it } from 'vitest';
import type { PushPayload } from '../../src-shared/ipc/contract';
import { coresPerTest, type TestCore } from '../helpers/core';

const core = coresPerTest();

function changes(c: TestCore): Array<PushPayload<'changed'>> {
  const seen: Array<PushPayload<'changed'>> = [];
  c.core.bus.onAny((event, payload) => {
    if (event === 'changed') seen.push(payload as PushPayload<'changed'>);
  });
  return seen;
}

async function addStore(c: TestCore, name: string): Promise<string> {
  const d = await c.ok('stores', 'create', { name, shopDomain: name.toLowerCase().replace(/ /g, '-'), account: 'sandbox', credential: { kind: 'sandbox_new_key' }, testPhone: '+1 555 555 0100' });
  return d.id;
}

describe('stores list rows', () => {
  it('hands out only the rows asked for, in list order, and leaves out stores that are gone', async () => {
    const c = await core();
    const b = await addStore(c, 'Bean There');
    const a = await addStore(c, 'Acme Coffee');
    await addStore(c, 'Cup Co');
    const rows = await c.ok('stores', 'byIds', { storeIds: [b, 'no-such-store', a] });
    expect(rows.map((r) => r.name)).toEqual(['Acme Coffee', 'Bean There']);
    await c.ok('stores', 'remove', { storeId: b });
    expect((await c.ok('stores', 'byIds', { storeIds: [b] })).length).toBe(0);
  });

  it('says which store a creation or a trigger change touched', async () => {
    const c = await core();
    const seen = changes(c);
    const id = await addStore(c, 'Acme Coffee');
    expect(seen.find((e) => e.topics.includes('stores'))?.storeIds).toEqual([id]);
    seen.length = 0;
    await c.ok('triggers', 'set', { storeId: id, eventKey: 'subscription_created', enabled: true });
    expect(seen.find((e) => e.topics.includes('stores'))?.storeIds).toEqual([id]);
  });

  it('after a delivered test, announces the store whose count changed, so its list entry can read "1 of 1"', async () => {
    const c = await core();
    const id = await addStore(c, 'Acme Coffee');
    const other = await addStore(c, 'Bean There');
    await c.ok('triggers', 'set', { storeId: id, eventKey: 'subscription_created', enabled: true });
    const seen = changes(c);
    const { item } = await c.sendTest(id, 'subscription_created');
    expect(item.state).toBe('delivered');
    await expect.poll(() => seen.some((e) => e.topics.includes('stores') && e.storeIds !== undefined && e.storeIds.includes(id))).toBe(true);
    const announced = seen.filter((e) => e.topics.includes('stores')).flatMap((e) => e.storeIds ?? ['(all)']);
    expect(announced).not.toContain(other);
    expect(announced).not.toContain('(all)');
    const [row] = await c.ok('stores', 'byIds', { storeIds: [id] });
    expect(row).toMatchObject({ enabledEvents: 1, testedEvents: 1 });
  });

  it('announces the wizard draft when it is saved or cleared, so the draft card shows without a reload', async () => {
    const c = await core();
    const seen = changes(c);
    await c.ok('wizard', 'saveDraft', { step: 'store', name: 'Acme', shopDomain: '', account: 'sandbox', keyword: '', testPhone: '' });
    await c.ok('wizard', 'clearDraft', {});
    expect(seen.filter((e) => e.topics.includes('draft'))).toHaveLength(2);
  });
});
