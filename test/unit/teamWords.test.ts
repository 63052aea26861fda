/**
 * What the agent reads about team claims and replaced edits: who, when, and the values in words.
 */
import { describe, expect, it } from 'vitest';
import { allRefused, someRefused, type ClaimRefusal } from '../../src-main/team/resendClaims';
import { fieldLabel, replacedNotice, valueWords } from '../../src-shared/teamConflict';

const at = (iso: string): Date => new Date(iso);
const when = (d: Date): string => d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });

describe('a refused resend claim', () => {
  const ben1: ClaimRefusal = { originalSend: 'a', claimedBy: 'Ben', claimedAt: at('2026-12-07T09:00:00Z'), mine: false };
  const ben2: ClaimRefusal = { originalSend: 'b', claimedBy: 'Ben', claimedAt: at('2026-12-07T09:05:00Z'), mine: false };
  const mine: ClaimRefusal = { originalSend: 'c', claimedBy: 'Ana', claimedAt: at('2026-12-07T08:00:00Z'), mine: true };

  it('names one claimer with the latest time, or each claimer with their count', () => {
    expect(allRefused([ben1, ben2]).message).toBe(
      `Not re-sent: These 2 failed events were already re-sent by Ben on ${when(ben2.claimedAt)}. A failed send is re-sent once for the whole team, so nothing was queued.`,
    );
    expect(allRefused([ben1, mine, ben2]).message).toBe(
      `Not re-sent: These 3 failed events were already re-sent by Ben (2) on ${when(ben2.claimedAt)} and you (1) on ${when(mine.claimedAt)}. A failed send is re-sent once for the whole team, so nothing was queued.`,
    );
    expect(allRefused([mine]).code).toBe('conflict');
  });

  it('when some go, says how many were left out, by whom, and how many go now', () => {
    expect(someRefused([ben1], 3)).toBe(`1 of the 4 failed events was already re-sent by Ben on ${when(ben1.claimedAt)}, so it is left out; the other 3 are re-sent now.`);
    expect(someRefused([ben1, ben2], 1)).toBe(`2 of the 3 failed events were already re-sent by Ben on ${when(ben2.claimedAt)}, so they are left out; the other 1 is re-sent now.`);
  });
});

describe('a replaced edit in words', () => {
  it('labels fields as the agent knows them and values without JSON', () => {
    expect(fieldLabel('store', 's1', 'test_phone')).toBe('Test Event User phone');
    expect(fieldLabel('trigger', 's1/billing_reminder', 'enabled')).toBe('Skio: Billing Reminder Notification turned on');
    expect(valueWords('store', 'keyword', '"COFFEE"')).toBe('“COFFEE”');
    expect(valueWords('store', 'keyword', 'null')).toBe('none');
    expect(valueWords('trigger', 'enabled', '0')).toBe('no');
    expect(valueWords('store', 'archived_at', '"2026-12-07T09:00:00Z"')).toBe('yes');
    expect(valueWords('trigger', 'settings_json', JSON.stringify('{"daysBefore":7}'))).toBe('“daysBefore 7”');
  });

  it('tells the field, both values, who and when', () => {
    const text = replacedNotice(
      { entity: 'store', rowId: 's1', field: 'keyword', storeName: 'Acme', lostValue: '"JOIN"', lostBy: 'Ana', lostAt: 'L', wonValue: '"COFFEECLUB"', wonBy: 'Ben', wonAt: 'W' },
      (iso) => `<${iso}>`,
    );
    expect(text).toBe(
      'Ben changed a value you had set on Acme, without having seen yours (edits made at the same time, e.g. offline): keyword is now “COFFEECLUB” (Ben, <W>); yours was “JOIN” (<L>). The later edit is kept; yours stays in the store’s history.',
    );
  });
});
