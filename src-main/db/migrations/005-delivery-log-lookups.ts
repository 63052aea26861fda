import type { Migration } from './migration';

/**
 * Migration 5. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 */
export const migration005: Migration = {
  version: 5,
  name: 'delivery log: exact phone and external_id lookups; full-text only over error messages',
  sql: `
      -- Phones and external ids are looked up exactly (or by prefix) on indexes; only error
      -- messages need substring search, and only attempts that have one are indexed. This cuts
      -- the cost of writing an attempt by more than half.
      DROP TRIGGER deliveries_fts_insert;
      DROP TRIGGER deliveries_fts_delete;
      DROP TABLE deliveries_fts;
      CREATE VIRTUAL TABLE deliveries_fts USING fts5(
        error_message, content = 'deliveries', content_rowid = 'id', tokenize = 'trigram'
      );
      INSERT INTO deliveries_fts (rowid, error_message) SELECT id, error_message FROM deliveries WHERE error_message IS NOT NULL;
      CREATE TRIGGER deliveries_fts_insert AFTER INSERT ON deliveries WHEN new.error_message IS NOT NULL BEGIN
        INSERT INTO deliveries_fts (rowid, error_message) VALUES (new.id, new.error_message);
      END;
      CREATE TRIGGER deliveries_fts_delete AFTER DELETE ON deliveries WHEN old.error_message IS NOT NULL BEGIN
        INSERT INTO deliveries_fts (deliveries_fts, rowid, error_message) VALUES ('delete', old.id, old.error_message);
      END;
      CREATE INDEX deliveries_phone ON deliveries(phone, id);
      CREATE INDEX deliveries_external_id ON deliveries(external_id);
    `,
};
