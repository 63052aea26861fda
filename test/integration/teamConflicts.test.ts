/**
 * No edit is lost without a word (issue 18 item 5): with the team database down, Ana sets the
 * keyword and Billing Reminder's daysBefore, Ben later sets both too. On reconnect each field keeps
 * the later edit, as before; now Ana is told which of her values Ben's edits replaced (field, both
 * values, who, when), and her values stay in the store's history. An edit made after seeing the
 * other's value is not a conflict and says nothing.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PRIVATE_KEY } from '../../src-main/sandbox/state';
import { coresPerTest, type TestCore } from '../helpers/core';
import { withPostgres, type TestPostgres } from '../helpers/postgres';
import { eventually, join, pushed } from '../helpers/teamConsoles';

let server!: TestPostgres;
withPostgres((s) => {
  server = s;
});

const core = coresPerTest();

const alerts = (c: TestCore): string[] =>
  c.sentToRenderer
    .map((x) => JSON.parse(x) as { event?: string; payload?: { message: string } })
    .filter((x) => x.event === 'alert')
    .map((x) => x.payload!.message);

const offline = async (c: TestCore): Promise<void> => {
  await eventually('the console to notice the team database is down', async () => ((await c.ok('team', 'status', {})).state === 'offline' ? true : undefined), 15_000);
};

describe('an edit replaced by a teammate’s concurrent edit is told, and kept in history', () => {
  it('Ana is told that Ben’s later keyword and daysBefore replaced hers; both consoles keep Ben’s; her values stay in the history', async () => {
    const db = await server.createTeamDb();
    const a = await join(await core({ teamPollMs: 200 }), await db.agentUrlFor('Ana'), 'Ana');
    const b = await join(await core({ teamPollMs: 200 }), await db.agentUrlFor('Ben'), 'Ben');
    const store = await a.ok('stores', 'create', { name: 'Acme Coffee', shopDomain: 'acme-coffee', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: DEMO_PRIVATE_KEY } });
    await a.ok('triggers', 'set', { storeId: store.id, eventKey: 'billing_reminder', enabled: true, daysBefore: 3 });
    await pushed(a);
    await eventually('Ben to have the store and its event', async () => {
      const s = await b.call('stores', 'get', { storeId: store.id });
      return s.ok && s.value.triggers.some((t) => t.eventKey === 'billing_reminder' && t.enabled) ? true : undefined;
    }, 10_000);

    await server.stop();
    try {
      await offline(a);
      await offline(b);
      await a.ok('stores', 'setKeyword', { storeId: store.id, keyword: 'JOIN' });
      await a.ok('triggers', 'set', { storeId: store.id, eventKey: 'billing_reminder', daysBefore: 5 });
      await new Promise((r) => setTimeout(r, 20)); // Ben's edits are the later ones
      await b.ok('stores', 'setKeyword', { storeId: store.id, keyword: 'COFFEECLUB' });
      await b.ok('triggers', 'set', { storeId: store.id, eventKey: 'billing_reminder', daysBefore: 7 });
    } finally {
      await server.start();
    }
    await pushed(a);
    await pushed(b);
    const told = await eventually('Ana to be told', async () => (alerts(a).length >= 2 ? alerts(a) : undefined), 15_000);

    // The later edits win on both consoles, as before.
    for (const c of [a, b]) {
      const s = await eventually('the keyword to converge', async () => {
        const x = await c.ok('stores', 'get', { storeId: store.id });
        return x.keyword === 'COFFEECLUB' && x.triggers.find((t) => t.eventKey === 'billing_reminder')?.settings.daysBefore === 7 ? x : undefined;
      }, 10_000);
      expect(s.keyword).toBe('COFFEECLUB');
    }
    // Ana is told each field, both values, who and when.
    const keyword = told.find((m) => m.includes('keyword'));
    expect(keyword).toMatch(
      /^Ben changed a value you had set on Acme Coffee, without having seen yours \(edits made at the same time, e\.g\. offline\): keyword is now “COFFEECLUB” \(Ben, [A-Z][a-z]{2} \d{1,2}, \d{4}, .+\); yours was “JOIN” \(.+\)\. The later edit is kept; yours stays in the store’s history\.$/,
    );
    expect(told.find((m) => m.includes('Billing Reminder Notification settings'))).toMatch(/: Skio: Billing Reminder Notification settings is now “daysBefore 7” \(Ben, .+\); yours was “daysBefore 5” \(.+\)\./);
    expect(told).toHaveLength(2);
    // Ben's values stood: he is told nothing.
    await new Promise((r) => setTimeout(r, 500));
    expect(alerts(b)).toEqual([]);

    // Ana's replaced values are kept in the store's history on her console.
    const history = await a.ok('team', 'storeHistory', { storeId: store.id });
    expect(history.filter((h) => h.replaced !== undefined)).toEqual(
      expect.arrayContaining([
        { field: 'keyword', agent: 'Ana', at: expect.any(String), replaced: { value: '“JOIN”', by: 'Ben', byValue: '“COFFEECLUB”', at: expect.any(String) } },
        expect.objectContaining({ field: 'Skio: Billing Reminder Notification settings', agent: 'Ana', replaced: expect.objectContaining({ value: '“daysBefore 5”', by: 'Ben', byValue: '“daysBefore 7”' }) }),
      ]),
    );

    // An edit made after seeing the other's value replaces it without a word.
    await a.ok('stores', 'setKeyword', { storeId: store.id, keyword: 'JOIN' });
    await pushed(a);
    await eventually('Ben to take Ana’s later keyword', async () => ((await b.ok('stores', 'get', { storeId: store.id })).keyword === 'JOIN' ? true : undefined), 10_000);
    await b.ok('stores', 'setKeyword', { storeId: store.id, keyword: 'COFFEECLUB' });
    await pushed(b);
    await eventually('Ana to take Ben’s', async () => ((await a.ok('stores', 'get', { storeId: store.id })).keyword === 'COFFEECLUB' ? true : undefined), 10_000);
    expect(alerts(a)).toHaveLength(2);
    expect(alerts(b)).toEqual([]);
  }, 90_000);
});
