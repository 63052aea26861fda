/**
 * The wizard does not let a store skip its keyword by accident, and a Sandbox store's Test Event
 * User is chosen among the Sandbox's subscribers (issue 17 item 5).
 */
import { describe, expect, it } from 'vitest';
import { Sandbox } from '../../src-main/sandbox/server';
import { coresPerTest } from '../helpers/core';

const core = coresPerTest();
const base = { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox' as const, credential: { kind: 'sandbox_new_key' as const } };

describe('the keyword step', () => {
  it('refuses a blank keyword unless "Set the keyword later" was chosen, and then the store and its readiness say it is not set', async () => {
    const c = await core();
    const blank = await c.call('stores', 'create', { ...base, keyword: '   ' });
    expect(blank).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'keyword', message: expect.stringMatching(/^Type the store’s keyword trigger .* or choose “Set the keyword later”\.$/) } });
    expect(await c.ok('stores', 'list', {})).toEqual([]);

    const later = await c.ok('stores', 'create', { ...base, keyword: '', keywordLater: true });
    expect(later.keyword).toBeNull();
    const keyword = (await c.ok('readiness', 'get', { storeId: later.id })).checks.find((x) => x.id === 'keyword')!;
    expect(keyword).toMatchObject({ status: 'fail', evidence: 'No keyword trigger is set for this store yet: it was left to set later.', action: expect.stringMatching(/Set keyword/) });
  });
});

describe('the Test Event User step of a Sandbox store', () => {
  it('offers the Sandbox shop’s seeded subscribers, opted in and not; a live store has none to offer', async () => {
    const live = new Sandbox();
    const url = await live.listen(0, '127.0.0.1');
    try {
      const c = await core({ liveBaseUrl: url });
      const s = await c.ok('stores', 'create', { ...base, keyword: 'JOIN' });
      const offered = await c.ok('sandbox', 'subscribers', { storeId: s.id });
      expect(offered.map(({ phone, transactional }) => ({ phone, transactional }))).toEqual([
        { phone: '+15555550100', transactional: true },
        { phone: '+15555550101', transactional: false },
      ]);
      // Each one, checked as the step checks it, is what it was offered as.
      expect((await c.ok('stores', 'setTestUser', { storeId: s.id, phone: offered[0]!.phone })).status).toBe('ok');
      expect((await c.ok('stores', 'setTestUser', { storeId: s.id, phone: offered[1]!.phone })).status).toBe('no_transactional');

      const { privateKey } = live.state.createShop('Live Beans');
      const l = await c.ok('stores', 'create', { name: 'Live Beans', shopDomain: 'live-beans', account: 'live', keyword: 'JOIN', credential: { kind: 'paste', apiKey: privateKey } });
      expect(await c.ok('sandbox', 'subscribers', { storeId: l.id })).toEqual([]);
      // A live store's unknown phone keeps Postscript's way to opt in: text the keyword.
      expect((await c.ok('stores', 'setTestUser', { storeId: l.id, phone: '+15555550199' })).message).toMatch(/text JOIN to the store’s Postscript number/);
    } finally {
      await live.close();
    }
  });
});
