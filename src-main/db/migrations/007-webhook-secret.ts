import type { Migration } from './migration';

/**
 * Migration 7. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 */
export const migration007: Migration = {
  version: 7,
  name: 'per-store webhook secret',
  sql: `
      -- A random secret per store, sent by Postscript as a custom header on every webhook this app
      -- registered, and required by the listener beside Postscript-Signature. Stored encrypted.
      CREATE TABLE webhook_secrets (
        store_id TEXT PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
        scheme TEXT NOT NULL,
        ciphertext BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
};
