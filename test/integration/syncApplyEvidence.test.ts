/**
 * A teammate's keyword or Test Event User that this console never checked with Postscript is
 * "not checked yet" here (or a fail, when this console knows the shop's keywords), never a pass:
 * the teammate's own check marks come along in the row but are not this console's evidence.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteChange } from '../../src-main/db/syncApply';
import { startCore, type TestCore } from '../helpers/core';

const open: TestCore[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

const BASE = Date.now() - 60_000;
const hlc = (ms: number): string => `${(BASE + ms).toString(16).padStart(12, '0')}-00000000-ben`;

function applyFromTeammate(c: TestCore, changes: RemoteChange[]): Array<{ hlc: string; reason: string }> {
  const sync = c.core.ctx.sync;
  const cur = sync.cursors();
  return sync.applyPulled(changes, { ...cur, changesId: cur.changesId + changes.length, changesSeen: cur.changesSeen + changes.length }).rejected;
}

describe('a teammate’s values are not checks made here', () => {
  it('keyword HACKED from a teammate, which the shop does not have, fails here; it is never shown as a pass', async () => {
    const c = await startCore();
    open.push(c);
    // Set up here with the keyword JOIN: this console read the shop's keywords (JOIN, COFFEECLUB) from Postscript.
    const s = await c.ok('stores', 'create', { name: 'Acme', shopDomain: 'acme', account: 'sandbox', keyword: 'join', credential: { kind: 'sandbox_new_key' } });
    expect((await c.ok('readiness', 'get', { storeId: s.id })).checks.find((x) => x.id === 'keyword')?.status).toBe('pass');
    expect(applyFromTeammate(c, [{ hlc: hlc(100), agentId: 'ben', entity: 'store', rowId: s.id, payload: { id: s.id, keyword: 'HACKED' } }])).toEqual([]);
    expect((await c.ok('stores', 'get', { storeId: s.id })).keyword).toBe('HACKED');
    const keyword = (await c.ok('readiness', 'get', { storeId: s.id })).checks.find((x) => x.id === 'keyword');
    expect(keyword?.status).toBe('fail');
    expect(keyword?.evidence).toMatch(/HACKED is not one of the shop’s Postscript keywords/);
  });

  it('a store a teammate set up, with their key and Test Event User marked checked, is "not checked yet" here', async () => {
    const c = await startCore();
    open.push(c);
    const id = 'team-store-1';
    const rejected = applyFromTeammate(c, [
      {
        hlc: hlc(100),
        agentId: 'ben',
        entity: 'store',
        rowId: id,
        payload: {
          id, name: 'Ben’s Shop', shop_domain: 'bens-shop.myshopify.com', account: 'live', keyword: 'HACKED', skip_word: 'SKIP',
          test_phone: '+15555550100', test_user_status: 'ok', test_user_checked_at: new Date().toISOString(), setup_step: 'done',
        },
      },
    ]);
    expect(rejected).toEqual([]);
    const checks = (await c.ok('readiness', 'get', { storeId: id })).checks;
    for (const check of ['keyword', 'test_user']) expect(checks.find((x) => x.id === check)?.status).toBe('unchecked');
  });

  it('an invalid test phone from a teammate is refused with its reason and the store keeps its own', async () => {
    const c = await startCore();
    open.push(c);
    const s = await c.ok('stores', 'create', { name: 'Acme', shopDomain: 'acme', account: 'sandbox', testPhone: '+1 555 555 0100', credential: { kind: 'sandbox_new_key' } });
    const rejected = applyFromTeammate(c, [{ hlc: hlc(100), agentId: 'ben', entity: 'store', rowId: s.id, payload: { id: s.id, test_phone: 'call me' } }]);
    expect(rejected).toEqual([{ hlc: hlc(100), reason: expect.stringMatching(/test_phone.*not a phone number/) }]);
    expect((await c.ok('stores', 'get', { storeId: s.id })).testPhone).toBe('+15555550100');
  });
});
