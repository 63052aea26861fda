/** The "Needs attention (N)" count and the red banner read the same health: they never disagree. */
import { describe, expect, it } from 'vitest';
import { attentionCount, standingAlerts } from '../../src-shared/attentionViews';

const store = { id: 's1', archivedAt: null };
const alert = { storeId: 's1', storeName: 'Bean Co', problems: ['The Test Event User +15555550101 is not opted in to transactional texts.'], at: '2026-12-07T03:00:00.000Z', notified: false };

describe('needs-attention count and banner', () => {
  it('no banner while the count is 0 (the store’s health not known yet, or green since)', () => {
    const none: Parameters<typeof attentionCount>[1] = {};
    for (const byStore of [none, { s1: { status: 'green' as const, checkedAt: '2026-12-07T02:00:00.000Z', problems: [] } }]) {
      expect(attentionCount([store], byStore)).toBe(0);
      expect(standingAlerts([alert], byStore)).toEqual([]);
    }
  });

  it('a red store: counted once, and the banner says its current problems', () => {
    const byStore = { s1: { status: 'red' as const, checkedAt: '2026-12-07T03:01:00.000Z', problems: ['Postscript refuses the API key (key ending ab12).'] } };
    expect(attentionCount([store], byStore)).toBe(1);
    expect(standingAlerts([alert], byStore).map((a) => a.problems)).toEqual([['Postscript refuses the API key (key ending ab12).']]);
    expect(attentionCount([{ ...store, archivedAt: '2026-12-07T03:02:00.000Z' }], byStore)).toBe(0);
  });
});
