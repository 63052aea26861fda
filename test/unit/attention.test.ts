/** Whether a store needs attention, from what Postscript last said (postscript/attention.ts). */
import { describe, expect, it } from 'vitest';
import type { StoreEvidence } from '../../src-main/db/postscriptEvidence';
import { attentionOf, type AttentionInput } from '../../src-main/postscript/attention';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const AT = '2026-12-07T11:00:00.000Z';
const none: StoreEvidence = { key: null, keywords: null, testUser: null, webhooks: null };
const store: AttentionInput['store'] = { keyMask: 'sk_…a1b2', keyword: 'JOIN', testPhone: '+15555550100', setupStep: 'done', archivedAt: null };

function input(evidence: Partial<StoreEvidence>, more: Partial<AttentionInput> = {}): AttentionInput {
  return { store, evidence: { ...none, ...evidence }, watchedAt: null, lastSuccessAt: AT, successWithinDays: 7, now: NOW, ...more };
}

const refused = { at: AT, source: 'check_health' as const, value: { accepted: false, keyMask: 'sk_…a1b2', shopName: 'Acme', message: 'Invalid API key.' } };

describe('attention', () => {
  it('is unknown (not green) until Postscript has said something, and never for an archived store', () => {
    expect(attentionOf(input({}))).toBeNull();
    expect(attentionOf(input({ key: refused }, { store: { ...store, archivedAt: AT } }))).toBeNull();
  });

  it('a refused key is red, but only for the key it was said about', () => {
    expect(attentionOf(input({ key: refused }))).toEqual({ status: 'red', checkedAt: AT, problems: ['Postscript refuses the API key (key ending a1b2): Invalid API key.'] });
    // Replaced since: the refusal was about another key.
    expect(attentionOf(input({ key: refused }, { store: { ...store, keyMask: 'sk_…c3d4' } }))).toMatchObject({ status: 'green', problems: [] });
  });

  it('a Test Event User who cannot receive transactional texts is red; a keyword the shop lacks is amber', () => {
    const user = { at: AT, source: 'health_watch' as const, value: { phone: '+15555550100', status: 'no_transactional' as const, subscriberId: 's1' } };
    expect(attentionOf(input({ testUser: user }))).toMatchObject({ status: 'red', problems: ['The Test Event User +15555550100 is not opted in to transactional texts.'] });
    // About another phone than the store's now: not this store's Test Event User.
    expect(attentionOf(input({ testUser: { ...user, value: { ...user.value, phone: '+15555550101' } } }))).toMatchObject({ status: 'green' });
    const keywords = { at: AT, source: 'recheck' as const, value: { keywords: ['COFFEECLUB', 'join '] } };
    expect(attentionOf(input({ keywords }))).toMatchObject({ status: 'green' });
    expect(attentionOf(input({ keywords: { ...keywords, value: { keywords: ['COFFEECLUB'] } } }))).toMatchObject({ status: 'amber', problems: ['The keyword JOIN is not one of the shop’s Postscript keywords.'] });
  });

  it('no event delivered within N days is amber, once the watch has judged a finished store', () => {
    const old = '2026-11-01T00:00:00.000Z';
    const key = { ...refused, value: { ...refused.value, accepted: true, message: null } };
    expect(attentionOf(input({ key }, { lastSuccessAt: old }))).toMatchObject({ status: 'green' });
    expect(attentionOf(input({ key }, { lastSuccessAt: old, watchedAt: AT }))).toMatchObject({
      status: 'amber',
      problems: ['No event delivered to Postscript in the last 7 days (last: 2026-11-01 00:00:00 UTC).'],
    });
    expect(attentionOf(input({ key }, { lastSuccessAt: old, watchedAt: AT, store: { ...store, setupStep: 'test' } }))).toMatchObject({ status: 'green' });
    expect(attentionOf(input({ key }, { lastSuccessAt: null, watchedAt: AT, successWithinDays: 1 }))!.problems).toEqual(['No event delivered to Postscript in the last 1 day (last: none yet).']);
  });
});
