import type { Migration } from './migration';

/**
 * Migration 13. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 *
 * No edit lost without a word: each local field change remembers the version it replaced (its
 * base), which goes up with the change; a teammate's change that wins over a local version it had
 * not seen is a concurrent edit, kept here with both values so the agent is told and the store's
 * history shows what was replaced.
 */
export const migration013: Migration = {
  version: 13,
  name: 'team sync: the version each local field change replaced; concurrent edits that replaced a value',
  sql: `
      -- The version a local field change replaced (sync_fields' hlc before it), kept until the change
      -- has gone up. Changes applied from teammates are not local and record nothing here.
      CREATE TABLE sync_field_bases (
        hlc TEXT NOT NULL,
        field TEXT NOT NULL,
        base TEXT NOT NULL,
        PRIMARY KEY (hlc, field)
      ) WITHOUT ROWID;
      CREATE TRIGGER field_base_capture AFTER UPDATE OF hlc ON sync_fields
        WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.hlc IS NOT new.hlc
      BEGIN
        INSERT OR REPLACE INTO sync_field_bases (hlc, field, base) VALUES (new.hlc, new.field, old.hlc);
      END;

      -- A value replaced by a teammate's later edit made without seeing it (values as JSON text).
      -- mine = 1: the replaced value was this console's, so its agent is told (told = 1 once said).
      CREATE TABLE sync_conflicts (
        id INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        row_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        field TEXT NOT NULL,
        lost_value TEXT,
        lost_hlc TEXT NOT NULL,
        lost_agent TEXT NOT NULL,
        won_value TEXT,
        won_hlc TEXT NOT NULL,
        won_agent TEXT NOT NULL,
        mine INTEGER NOT NULL,
        told INTEGER NOT NULL DEFAULT 0,
        UNIQUE (lost_hlc, field, won_hlc)
      );
      CREATE INDEX sync_conflicts_store ON sync_conflicts(store_id);
      CREATE INDEX sync_conflicts_untold ON sync_conflicts(told) WHERE mine = 1 AND told = 0;
    `,
};
