/**
 * A damaged index is rebuilt, not restored (issue 19.5): a page of a delivery-log index
 * overwritten is found at start, rebuilt from the tables in place and said in words; nothing is
 * lost and no restore is offered. Damage in a table's own pages is named in the agent's terms and
 * stops sending until a restore, as before.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coresPerTest, startCore, type TestCore } from '../helpers/core';
import { overwritePage } from '../helpers/damagePages';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();
const alerts = (c: TestCore): string[] => c.sentToRenderer.filter((s) => s.includes('"event":"alert"')).map((s) => (JSON.parse(s) as { payload: { message: string } }).payload.message);

/** A page of `name` (a leaf when it has more than its root), from SQLite's own page map. */
function pageOf(file: string, name: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const pages = db.prepare('SELECT pageno, pagetype FROM dbstat WHERE name = ? ORDER BY pageno').all(name) as Array<{ pageno: number; pagetype: string }>;
    return (pages.find((p) => p.pagetype === 'leaf') ?? pages[0]!).pageno;
  } finally {
    db.close();
  }
}

/** A data directory with two stores, each with sent tests in the log; closed (checkpointed). */
async function withDeliveries(dir: string): Promise<{ storeIds: string[]; delivered: number }> {
  const c = await startCore({ dir });
  const storeIds: string[] = [];
  for (const name of ['Index Shop', 'Other Shop']) {
    const s = await c.ok('stores', 'create', { name, shopDomain: name.toLowerCase().replace(/\W+/g, '-'), account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    for (const e of ['subscription_created', 'subscription_renewed', 'card_expiration']) await c.ok('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
    storeIds.push(s.id);
  }
  for (let round = 0; round < 10; round++) for (const id of storeIds) await c.ok('tests', 'sendAll', { storeId: id });
  for (;;) {
    const n = c.core.ctx.outbox.counts();
    if (n.queued + n.in_flight === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await c.close();
  return { storeIds, delivered: 60 };
}

describe('damage in an index of the delivery log', () => {
  it('is rebuilt from the tables at start and said in words: nothing lost, no restore, sending goes on', async () => {
    const tmp = makeTempDir();
    const { storeIds, delivered } = await withDeliveries(tmp.dir);
    const file = path.join(tmp.dir, 'console.sqlite3');
    overwritePage(file, pageOf(file, 'deliveries_store'));
    const damaged = new Database(file, { readonly: true });
    expect(damaged.pragma('quick_check', { simple: true })).not.toBe('ok');
    damaged.close();

    const c = await core({ dir: tmp.dir });
    await c.core.checked;
    const health = await c.ok('dataHealth', 'status', {});
    expect(health.damaged).toBeNull();
    expect(c.core.db.pragma('quick_check', { simple: true })).toBe('ok');
    const said = alerts(c);
    expect(said.some((a) => a.startsWith('An index of the delivery log was damaged. The app rebuilt it from the delivery log itself, so nothing was lost'))).toBe(true);
    expect(said.some((a) => a.includes('The database is damaged'))).toBe(false);
    expect(said.join(' ')).not.toMatch(/Tree \d+ page|btreeInitPage/);
    // Everything is still there, read through the rebuilt index.
    expect((await c.ok('stores', 'list', {})).map((s) => s.name).sort()).toEqual(['Index Shop', 'Other Shop']);
    const rows = (await c.ok('deliveries', 'list', { filter: { storeId: storeIds[0]! }, limit: 500 })).rows;
    expect(rows).toHaveLength(delivered / 2);
    // And it sends.
    expect((await c.sendTest(storeIds[0]!, 'subscription_created')).item.state).toBe('delivered');
    tmp.cleanup();
  });
});

describe('damage in a table', () => {
  it('stops sending and names what is affected in the agent’s terms, not SQLite’s', async () => {
    const tmp = makeTempDir();
    await withDeliveries(tmp.dir);
    const file = path.join(tmp.dir, 'console.sqlite3');
    overwritePage(file, pageOf(file, 'deliveries'));

    const c = await core({ dir: tmp.dir });
    await c.core.checked;
    const health = await c.ok('dataHealth', 'status', {});
    expect(health.damaged).not.toBeNull();
    expect(health.damaged!.message).toContain(`The database is damaged: ${file} (damaged: the delivery log`);
    expect(health.damaged!.message).not.toMatch(/Tree \d+ page|btreeInitPage|\*\*\*/);
    expect(c.core.ctx.storage.allowed()).toBe(false);
    tmp.cleanup();
  });
});
