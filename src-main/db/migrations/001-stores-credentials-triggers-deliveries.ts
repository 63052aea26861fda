import type { Migration } from './migration';

/**
 * Migration 1. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 */
export const migration001: Migration = {
  version: 1,
  name: 'stores, credentials, triggers, deliveries',
  sql: `
      CREATE TABLE stores (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        shop_domain TEXT NOT NULL UNIQUE,
        account TEXT NOT NULL CHECK (account IN ('sandbox', 'live')),
        postscript_shop_id TEXT,
        postscript_shop_name TEXT,
        test_phone TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- One private key per store. The key itself is only ever stored encrypted; the mask is what
      -- the UI shows and the fingerprint (SHA-256) lets us spot a key reused across stores.
      CREATE TABLE credentials (
        store_id TEXT PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('shop', 'partner')),
        scheme TEXT NOT NULL,
        ciphertext BLOB NOT NULL,
        mask TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        validated_at TEXT
      );
      CREATE INDEX credentials_fingerprint ON credentials(fingerprint);

      CREATE TABLE triggers (
        store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        event_key TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 0,
        settings_json TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (store_id, event_key)
      );

      -- One row per attempt. Request headers are stored already masked.
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        event_key TEXT NOT NULL,
        postscript_type TEXT NOT NULL,
        external_id TEXT NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 1,
        outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed', 'rate_limited', 'uncertain')),
        request_method TEXT NOT NULL,
        request_url TEXT NOT NULL,
        request_headers_json TEXT NOT NULL,
        request_body TEXT NOT NULL,
        response_status INTEGER,
        response_body TEXT,
        error_code INTEGER,
        error_message TEXT,
        latency_ms INTEGER,
        started_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX deliveries_store ON deliveries(store_id, id);
      CREATE INDEX deliveries_store_event ON deliveries(store_id, event_key, id);
    `,
};
