/**
 * A teammate's change passes the same rules as the agent's own input (keyword, test phone, SKIP
 * word, daysBefore), and only a change that fails them is refused for good: a passing failure (a
 * locked database) leaves the cursor where it was and the change is applied on the next pull.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src-main/db/database';
import type { RemoteChange } from '../../src-main/db/syncApply';
import { ApplyPaused, SyncRepository, type Cursors } from '../../src-main/db/syncRepo';
import { makeTempDir } from '../helpers/tmp';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

const BASE = Date.now() - 60_000;
const hlc = (ms: number, agent = 'ben'): string => `${(BASE + ms).toString(16).padStart(12, '0')}-00000000-${agent}`;
const change = (ms: number, entity: string, rowId: string, payload: Record<string, unknown>): RemoteChange => ({ hlc: hlc(ms), agentId: 'ben', entity, rowId, payload });
const newStore = (ms: number, extra: Record<string, unknown> = {}): RemoteChange =>
  change(ms, 'store', 's1', { id: 's1', name: 'Acme', shop_domain: 'acme.myshopify.com', account: 'sandbox', keyword: 'JOIN', skip_word: 'SKIP', test_phone: '+15555550100', ...extra });
const edit = (ms: number, payload: Record<string, unknown>): RemoteChange => change(ms, 'store', 's1', { id: 's1', ...payload });
const cursorAt = (n: number): Cursors => ({ changesXid: String(1000 + n), changesId: n, deliveriesXid: '0', deliveriesId: 0, changesSeen: n, deliveriesSeen: 0 });

function fileDb(): { db: Db; file: string } {
  const t = makeTempDir();
  const file = path.join(t.dir, 'db.sqlite3');
  const db = openDatabase(file);
  cleanups.push(t.cleanup, () => db.close());
  return { db, file };
}

const storeRow = (db: Db): Record<string, unknown> | undefined =>
  db.prepare('SELECT keyword, test_phone AS testPhone, skip_word AS skipWord FROM stores WHERE id = ?').get('s1') as Record<string, unknown> | undefined;

describe('a teammate’s change passes the same per-field rules as the agent’s own input', () => {
  it.each([
    ['an empty keyword', { keyword: '' }, /keyword.*Type the keyword/],
    ['a blank keyword', { keyword: '   ' }, /keyword/],
    ['a test phone that is not a phone number', { test_phone: '12' }, /test_phone.*not a phone number/],
    ['a test phone not in international form', { test_phone: '555-555-0100' }, /test_phone/],
    ['a SKIP word of two words', { skip_word: 'SKIP IT' }, /skip_word.*SKIP word must be one word/],
  ])('%s is refused with its reason and changes nothing', (_what, payload, reason) => {
    const { db } = fileDb();
    const sync = new SyncRepository(db);
    sync.applyPulled([newStore(0)], cursorAt(1));
    const r = sync.applyPulled([edit(100, payload)], cursorAt(2));
    expect(r.rejected).toEqual([{ hlc: hlc(100), reason: expect.stringMatching(reason) }]);
    expect(storeRow(db)).toEqual({ keyword: 'JOIN', testPhone: '+15555550100', skipWord: 'SKIP' });
    // Refused for good: the cursor moved past it, it is kept with its reason.
    expect(sync.cursors().changesId).toBe(2);
    expect(sync.rejectedCount()).toBe(1);
  });

  it('a daysBefore outside 1 to 30 in a trigger’s settings is refused; one inside is applied', () => {
    const { db } = fileDb();
    const sync = new SyncRepository(db);
    sync.applyPulled([newStore(0)], cursorAt(1));
    const trigger = (ms: number, days: number): RemoteChange =>
      change(ms, 'trigger', 's1/billing_reminder', { store_id: 's1', event_key: 'billing_reminder', enabled: 1, settings_json: JSON.stringify({ daysBefore: days }) });
    expect(sync.applyPulled([trigger(100, 0)], cursorAt(2)).rejected).toEqual([{ hlc: hlc(100), reason: expect.stringMatching(/Days before must be at least 1/) }]);
    expect(sync.applyPulled([trigger(200, 45)], cursorAt(3)).rejected).toEqual([{ hlc: hlc(200), reason: expect.stringMatching(/at most 30/) }]);
    expect(sync.applyPulled([trigger(300, 5)], cursorAt(4)).rejected).toEqual([]);
    expect(db.prepare('SELECT settings_json AS s FROM triggers').get()).toEqual({ s: '{"daysBefore":5}' });
  });

  it('a well-formed keyword the shop may not have is applied as text: whether Postscript has it is not the teammate’s to say', () => {
    const { db } = fileDb();
    const sync = new SyncRepository(db);
    sync.applyPulled([newStore(0), edit(100, { keyword: 'HACKED' })], cursorAt(2));
    expect(storeRow(db)!.keyword).toBe('HACKED');
    // Nothing this console was told by Postscript came with it.
    expect(db.prepare('SELECT COUNT(*) AS n FROM postscript_evidence').get()).toEqual({ n: 0 });
  });
});

describe('a passing failure while applying is retried, not refused', () => {
  it('a locked database stops the pull at that page with the cursor unmoved; the next pull applies the change', () => {
    const { db, file } = fileDb();
    const sync = new SyncRepository(db);
    sync.applyPulled([newStore(0)], cursorAt(1));
    db.pragma('busy_timeout = 20');
    // Another connection holds the write lock (a backup, a second process): every write here is SQLITE_BUSY.
    const other = new Database(file);
    cleanups.push(() => other.close());
    other.exec('BEGIN IMMEDIATE');
    let paused: unknown = null;
    try {
      sync.applyPulled([edit(100, { keyword: 'VIP' })], cursorAt(2));
    } catch (err) {
      paused = err;
    }
    expect(paused).toBeInstanceOf(ApplyPaused);
    expect((paused as ApplyPaused).message).toMatch(/could not be saved here yet \(the database was busy\)/);
    other.exec('ROLLBACK');
    // Nothing was refused and the cursor did not move past the change.
    expect(sync.rejectedCount()).toBe(0);
    expect(sync.cursors().changesId).toBe(1);
    expect(storeRow(db)!.keyword).toBe('JOIN');
    // The next pull reads from the same cursor, so the same change comes again, and now lands.
    expect(sync.applyPulled([edit(100, { keyword: 'VIP' })], cursorAt(2))).toEqual({ applied: 1, rejected: [] });
    expect(storeRow(db)!.keyword).toBe('VIP');
    expect(sync.cursors().changesId).toBe(2);
  });

  it('a full disk while a new store is being written: that change is not refused, and lands once there is room', () => {
    const { db } = fileDb();
    const sync = new SyncRepository(db);
    sync.applyPulled([newStore(0)], cursorAt(1));
    // SQLite's own limit on the file's size stands for a full disk: any write that needs a new page fails with SQLITE_FULL.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = change(100, 'store', 's2', { id: 's2', name: `Big ${'x'.repeat(200_000)}`, shop_domain: 'big.myshopify.com', account: 'sandbox', skip_word: 'SKIP' });
    let paused: unknown = null;
    try {
      sync.applyPulled([big], cursorAt(2));
    } catch (err) {
      paused = err;
    }
    expect(paused).toBeInstanceOf(ApplyPaused);
    expect((paused as ApplyPaused).message).toMatch(/\(the disk is full\)/);
    expect((paused as ApplyPaused).change?.hlc).toBe(hlc(100));
    db.pragma('max_page_count = 1073741823');
    expect(sync.rejectedCount()).toBe(0);
    expect(sync.cursors().changesId).toBe(1);
    expect(sync.applyPulled([big], cursorAt(2))).toEqual({ applied: 1, rejected: [] });
    expect(db.prepare('SELECT shop_domain AS d FROM stores WHERE id = ?').get('s2')).toEqual({ d: 'big.myshopify.com' });
    expect(sync.cursors().changesId).toBe(2);
  });

  it('a change the database refuses by its own constraints is refused for good, not retried forever', () => {
    const { db } = fileDb();
    const sync = new SyncRepository(db);
    sync.applyPulled([newStore(0)], cursorAt(1));
    // A test subscription with an interval the table's CHECK refuses.
    const sub = change(100, 'test_subscription', 's1', { store_id: 's1', phone: '+15555550100', next_billing_date: '2030-01-01', interval_days: 999, skipped_count: 0 });
    const r = sync.applyPulled([sub], cursorAt(2));
    expect(r.rejected).toEqual([{ hlc: hlc(100), reason: expect.stringMatching(/could not be saved here.*CHECK/) }]);
    expect(sync.cursors().changesId).toBe(2);
  });
});
