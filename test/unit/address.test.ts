/** The renderer's address: screen, store and the delivery log's filters survive a reload as text. */
import { describe, expect, it } from 'vitest';
import { formatRoute, logFilterToQuery, parseRoute, queryToLogFilter } from '../../src-renderer/state/address';
import { formatWhen } from '../../src-renderer/components/format';

describe('the address', () => {
  it('keeps the delivery log’s filters, and reads them back as they were', () => {
    const filter = { storeId: 'a1b2', outcome: 'rate_limited' as const, status: 429, from: '2026-11-24T09:00:00.000Z', q: 'could not find' };
    const hash = formatRoute({ tab: 'log', storeId: null, adding: false, query: logFilterToQuery(filter) });
    expect(hash).toBe('#/log?storeId=a1b2&outcome=rate_limited&from=2026-11-24T09%3A00%3A00.000Z&q=could+not+find&status=429');
    expect(queryToLogFilter(parseRoute(hash).query)).toEqual(filter);
    expect(formatRoute({ tab: 'log', storeId: null, adding: false, query: {} })).toBe('#/log');
  });

  it('leaves out a filter the log would refuse, typed into the address by hand', () => {
    const { query } = parseRoute('#/log?outcome=lost&status=42&q=ab&from=yesterday&eventKey=billing_reminder');
    expect(queryToLogFilter(query)).toEqual({ eventKey: 'billing_reminder' });
  });

  it('keeps the store and the wizard, and nothing of the log elsewhere', () => {
    expect(parseRoute('#/stores/s%2F1')).toEqual({ tab: 'stores', storeId: 's/1', adding: false, query: {} });
    expect(parseRoute('#/stores/new')).toMatchObject({ adding: true, storeId: null });
    expect(parseRoute('#/batches?outcome=failed').query).toEqual({});
    expect(parseRoute('#/nowhere').tab).toBe('stores');
  });
});

describe('when an attempt was made, in the log’s “When” column', () => {
  const now = new Date(2026, 11, 7, 15, 0, 0);
  it('is the time alone for today, and names the day otherwise', () => {
    const today = formatWhen(new Date(2026, 11, 7, 9, 5, 0).toISOString(), now);
    expect(today).not.toMatch(/Dec/);
    expect(today).toMatch(/9:05/);
    const yesterday = formatWhen(new Date(2026, 11, 6, 9, 5, 0).toISOString(), now);
    expect(yesterday).toMatch(/Dec 6/);
    expect(yesterday).toMatch(/9:05/);
    expect(formatWhen(new Date(2025, 8, 30, 9, 5, 0).toISOString(), now)).toMatch(/2025/);
  });
});
