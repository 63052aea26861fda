import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../src-main/db/database';
import { MIGRATIONS } from '../../src-main/db/migrations';
import { makeTempDir } from '../helpers/tmp';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function tmpFile(): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return path.join(t.dir, 'db.sqlite3');
}

describe('migrations', () => {
  it('brings a new database to the latest version with WAL and foreign keys on', () => {
    const db = openDatabase(tmpFile());
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['stores', 'credentials', 'triggers', 'deliveries']));
    db.close();
  });

  it('is a no-op on an up-to-date database and keeps its data', () => {
    const file = tmpFile();
    const db = openDatabase(file);
    db.prepare(`INSERT INTO stores (id, name, shop_domain, account, created_at, updated_at) VALUES ('s1', 'A', 'a.myshopify.com', 'sandbox', 'x', 'x')`).run();
    db.close();
    const again = openDatabase(file);
    expect(again.prepare('SELECT COUNT(*) AS n FROM stores').get()).toEqual({ n: 1 });
    again.close();
  });

  it('rolls back a failing migration entirely, leaving the previous version', () => {
    const db = new Database(tmpFile());
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'breaks halfway', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nope VALUES (1);' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(1);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toContain('a');
    expect(tables).not.toContain('b');
    db.close();
  });

  it('refuses a database written by a newer app instead of corrupting it', () => {
    const file = tmpFile();
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer version/);
  });

  it('deleting a store removes its credential, triggers and deliveries', () => {
    const db = openDatabase(tmpFile());
    db.prepare(`INSERT INTO stores (id, name, shop_domain, account, created_at, updated_at) VALUES ('s1', 'A', 'a.myshopify.com', 'sandbox', 'x', 'x')`).run();
    db.prepare(`INSERT INTO credentials (store_id, kind, scheme, ciphertext, mask, fingerprint) VALUES ('s1', 'shop', 'k', x'00', 'm', 'f')`).run();
    db.prepare(`INSERT INTO triggers (store_id, event_key, enabled, updated_at) VALUES ('s1', 'e', 1, 'x')`).run();
    db.prepare('DELETE FROM stores').run();
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM credentials) + (SELECT COUNT(*) FROM triggers) AS n').get()).toEqual({ n: 0 });
    db.close();
  });
});
