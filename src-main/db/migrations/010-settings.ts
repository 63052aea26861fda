import type { Migration } from './migration';

/**
 * Migration 10. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 */
export const migration010: Migration = {
  version: 10,
  name: 'settings: network, listener; encrypted proxy password',
  sql: `
      -- What the agent set on the Settings screen; a missing key means the default (or the
      -- environment variable, which wins when set).
      CREATE TABLE settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL, updated_at TEXT NOT NULL);
      -- Secrets among the settings (the proxy password), encrypted like API keys.
      CREATE TABLE setting_secrets (
        key TEXT PRIMARY KEY,
        scheme TEXT NOT NULL,
        ciphertext BLOB NOT NULL,
        mask TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
};
