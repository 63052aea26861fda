import type { Migration } from './migration';

/**
 * Migration 6. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 */
export const migration006: Migration = {
  version: 6,
  name: 'SKIP: signing tokens, test subscriptions, inbound webhook log, processed events',
  sql: `
      ALTER TABLE stores ADD COLUMN skip_word TEXT NOT NULL DEFAULT 'SKIP';

      -- The store's webhook signing token (GET /api/v2/webhooks/token), encrypted like API keys.
      CREATE TABLE webhook_tokens (
        store_id TEXT PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
        scheme TEXT NOT NULL,
        ciphertext BLOB NOT NULL,
        mask TEXT NOT NULL,
        fetched_at TEXT NOT NULL
      );

      -- A subscription kept here to prove SKIP works: skipping moves its next billing date.
      CREATE TABLE test_subscriptions (
        store_id TEXT PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
        phone TEXT NOT NULL,
        next_billing_date TEXT NOT NULL,
        interval_days INTEGER NOT NULL CHECK (interval_days BETWEEN 1 AND 365),
        skipped_count INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      );

      -- Every webhook delivery received, whatever became of it.
      CREATE TABLE inbound_webhooks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at TEXT NOT NULL,
        store_id TEXT REFERENCES stores(id) ON DELETE SET NULL,
        event TEXT,
        event_data_id TEXT,
        signature TEXT NOT NULL CHECK (signature IN ('valid', 'missing', 'wrong', 'not_checked')),
        status INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('skipped', 'ignored', 'duplicate', 'rejected')),
        reason TEXT NOT NULL,
        from_number TEXT,
        message TEXT,
        before_date TEXT,
        after_date TEXT
      );
      CREATE INDEX inbound_store ON inbound_webhooks(store_id, id);

      -- Postscript delivers at least once: an event_data.id is acted on once per store, ever.
      CREATE TABLE processed_webhook_events (
        store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        event_data_id TEXT NOT NULL,
        processed_at TEXT NOT NULL,
        PRIMARY KEY (store_id, event_data_id)
      );

      -- Webhook subscriptions this app registered with Postscript, so it can remove them.
      CREATE TABLE webhook_registrations (
        id TEXT PRIMARY KEY,
        store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        callback_url TEXT NOT NULL,
        event TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
};
