/**
 * Automatic backups: one before a migration changes an existing database, the first as soon as
 * the database holds a store, one at start when the newest is a day old, only the newest few kept, none of a damaged database, each private (0600)
 * and each restorable (it passes SQLite's check).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Backups, KEEP_BACKUPS, NO_BACKUP_YET } from '../../src-main/db/backups';
import { openDatabase } from '../../src-main/db/database';
import { MIGRATIONS } from '../../src-main/db/migrations';
import { coresPerTest, startCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/waitFor';

const core = coresPerTest();
const mode = (file: string): number => fs.statSync(file).mode & 0o777;

/** Makes a backup `hours` old: its time is the UTC stamp in its name (console-YYYYMMDD-HHMMSS-<reason>.sqlite3). */
function age(file: string, hours: number): void {
  const stamp = new Date(Date.now() - hours * 3600_000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  fs.renameSync(file, path.join(path.dirname(file), path.basename(file).replace(/^console-\d{8}-\d{6}-/, `console-${stamp}-`)));
}

describe('automatic backups', () => {
  it('before each migration of a database that holds data: a private, sound copy at the old version', () => {
    const tmp = makeTempDir();
    const file = path.join(tmp.dir, 'console.sqlite3');
    const backups = new Backups(path.join(tmp.dir, 'backups'));
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, MIGRATIONS.length - 1), backups });
    old.prepare(`INSERT INTO stores (id, name, shop_domain, account, created_at, updated_at) VALUES ('s1', 'Old Shop', 'old-shop.myshopify.com', 'sandbox', 'x', 'x')`).run();
    old.close();
    expect(backups.list()).toHaveLength(0); // a new database has nothing worth copying

    const db = openDatabase(file, { backups });
    db.close();
    const [b] = backups.list();
    expect(b!.reason).toBe(`before-v${MIGRATIONS.length}`);
    expect(mode(b!.path)).toBe(0o600);
    expect(backups.check(b!.path)).toEqual({ ok: true });
    const copy = openDatabase(b!.path, { migrations: MIGRATIONS.slice(0, MIGRATIONS.length - 1) });
    expect(copy.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length - 1);
    expect(copy.prepare('SELECT name FROM stores').all()).toEqual([{ name: 'Old Shop' }]);
    copy.close();
    tmp.cleanup();
  });

  it('the first as soon as the database holds a store (a new data directory is not left without one), then daily', async () => {
    const tmp = makeTempDir();
    const backups = new Backups(path.join(tmp.dir, 'backups'));
    const fresh = await startCore({ dir: tmp.dir });
    await fresh.core.checked;
    const health = await fresh.ok('dataHealth', 'status', {});
    expect(health.backups).toEqual([]); // an empty database: nothing worth a copy yet
    // Restoring then says there is none yet, not that none passes SQLite's check.
    const none = await fresh.call('dataHealth', 'restore', {});
    expect(none.ok ? null : none.error.message).toBe(NO_BACKUP_YET);
    await fresh.ok('stores', 'create', { name: 'Daily', shopDomain: 'daily', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const [daily] = await waitFor(() => backups.list(), (l) => l.length === 1, 10_000);
    expect(daily!.reason).toBe('first');
    expect(mode(daily!.path)).toBe(0o600);
    expect(backups.check(daily!.path)).toEqual({ ok: true });
    const copy = new Database(daily!.path, { readonly: true });
    expect(copy.prepare('SELECT name FROM stores').all()).toEqual([{ name: 'Daily' }]);
    copy.close();
    await fresh.close();
    // A second start the same day takes none.
    await (await core({ dir: tmp.dir })).close();
    expect(backups.list()).toHaveLength(1);

    // Guards against a wrong age limit (or none): the newest backup 23 hours old, a start takes none...
    age(daily!.path, 23);
    await (await core({ dir: tmp.dir })).close();
    expect(backups.list()).toHaveLength(1);
    // ...a day old (25 hours), the next start takes a new daily one and keeps the old.
    age(backups.list()[0]!.path, 25);
    await core({ dir: tmp.dir });
    for (let i = 0; i < 200 && backups.list().length === 1; i++) await new Promise((r) => setTimeout(r, 20));
    const [newest, older] = backups.list();
    expect(backups.list()).toHaveLength(2);
    expect(newest!.reason).toBe('daily');
    expect(Date.now() - Date.parse(newest!.createdAt)).toBeLessThan(60_000);
    expect(Date.now() - Date.parse(older!.createdAt)).toBeGreaterThan(24 * 3600_000);
    expect(backups.check(newest!.path)).toEqual({ ok: true });
    tmp.cleanup();
  });

  it('keeps only the newest few, and takes none of a database that fails the check', async () => {
    const c = await core();
    for (let i = 0; i < KEEP_BACKUPS + 2; i++) await c.ok('dataHealth', 'backupNow', {});
    const list = (await c.ok('dataHealth', 'status', {})).backups;
    expect(list).toHaveLength(KEEP_BACKUPS);
    expect(new Set(list.map((b) => b.name)).size).toBe(KEEP_BACKUPS);

    c.core.ctx.storage.damaged = { since: new Date().toISOString(), detail: 'test' };
    expect(await c.call('dataHealth', 'backupNow', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});
