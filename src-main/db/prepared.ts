import type Database from 'better-sqlite3';
import type { Db } from './database';

/**
 * Prepared statements, compiled once per database and SQL text. Compiling costs more than running
 * most of this app's statements, and the hot paths (webhooks, the outbox) run them thousands of
 * times a second.
 */
const cache = new WeakMap<Db, Map<string, Database.Statement>>();

export function prepared(db: Db, sql: string): Database.Statement {
  let perDb = cache.get(db);
  if (perDb === undefined) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  let stmt = perDb.get(sql);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    perDb.set(sql, stmt);
  }
  return stmt;
}
