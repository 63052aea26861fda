import type { Migration } from './migration';

/**
 * Migration 8. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 */
export const migration008: Migration = {
  version: 8,
  name: 'health watch: each store keeps its health history',
  sql: `
      -- One row per check of a store by the health watch (scheduled or on demand). The newest row
      -- is the store's current health; a check that could not reach Postscript writes no row.
      CREATE TABLE store_health (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        checked_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('green', 'amber', 'red')),
        problems_json TEXT NOT NULL DEFAULT '[]',
        trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual'))
      );
      CREATE INDEX store_health_store ON store_health(store_id, id);
    `,
};
