/** SQLite records shared changes for sync in the same transaction as the change (migration 9). */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/database';
import { Repository } from '../../src-main/db/store';

function newStore(id: string, domain: string) {
  return {
    id, name: 'Shop', shopDomain: domain, account: 'sandbox' as const, postscriptShopId: '1', postscriptShopName: 'S', testPhone: null, keyword: 'JOIN',
    credential: { kind: 'shop' as const, scheme: 'x', ciphertext: Buffer.from('abc'), mask: 'sk_…abcd', fingerprint: 'f', validatedAt: null },
    triggers: [{ eventKey: 'e1', enabled: true, settings: {} }],
  };
}

describe('sync capture', () => {
  it('records nothing while team mode is off, and every field change with a rising clock once on', () => {
    const db = openDatabase(':memory:');
    const repo = new Repository(db);
    repo.insertStore(newStore('s0', 'a.myshopify.com'));
    expect(db.prepare('SELECT COUNT(*) AS n FROM sync_outgoing').get()).toEqual({ n: 0 });
    db.prepare('UPDATE sync_state SET enabled = 1').run();
    repo.insertStore(newStore('s1', 'b.myshopify.com'));
    repo.setKeyword('s1', 'SHOP');
    repo.setKeyword('s1', 'SHOP'); // no change, nothing recorded
    const rows = db.prepare('SELECT entity, row_id AS rowId, hlc, payload FROM sync_outgoing ORDER BY id').all() as Array<{ entity: string; rowId: string; hlc: string; payload: string }>;
    expect(rows.map((r) => r.entity)).toEqual(['store', 'credential', 'trigger', 'store']);
    expect(JSON.parse(rows[3]!.payload)).toEqual({ id: 's1', keyword: 'SHOP' });
    expect([...rows.map((r) => r.hlc)].sort()).toEqual(rows.map((r) => r.hlc));
    expect(new Set(rows.map((r) => r.hlc)).size).toBe(4);
    const field = db.prepare(`SELECT hlc FROM sync_fields WHERE entity = 'store' AND row_id = 's1' AND field = 'keyword'`).get() as { hlc: string };
    expect(field.hlc).toBe(rows[3]!.hlc);
    // A failed transaction leaves no record behind.
    expect(() => db.transaction(() => { repo.setKeyword('s1', 'GONE'); throw new Error('boom'); })()).toThrow('boom');
    expect(db.prepare('SELECT COUNT(*) AS n FROM sync_outgoing').get()).toEqual({ n: 4 });
    db.close();
  });
});
