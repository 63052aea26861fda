import { syncMigrationSql } from './syncCaptureSql';

/**
 * Numbered migrations. Never edit or reorder a shipped entry: add a new one. Each runs inside one
 * transaction together with the bump of `PRAGMA user_version`, so a crash mid-migration leaves the
 * database at the previous version.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
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
  },
  {
    version: 2,
    name: 'outbox and batches',
    sql: `
      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'paused', 'cancelled', 'done')),
        created_ms INTEGER NOT NULL,
        finished_ms INTEGER,
        -- batch this one re-runs (failed/uncertain items only), if any
        rerun_of TEXT REFERENCES batches(id) ON DELETE SET NULL
      );

      -- Every send is written here, in one transaction, before any network I/O. States:
      -- queued -> in_flight -> delivered | failed | uncertain, or queued -> cancelled.
      -- An item found in_flight at start-up was interrupted after it may have been sent: it
      -- becomes uncertain and is never retried by itself (Postscript does not deduplicate).
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        event_key TEXT NOT NULL,
        batch_id TEXT REFERENCES batches(id) ON DELETE SET NULL,
        body_json TEXT NOT NULL,
        external_id TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('queued', 'in_flight', 'delivered', 'failed', 'uncertain', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms INTEGER NOT NULL,
        last_error TEXT,
        created_ms INTEGER NOT NULL,
        finished_ms INTEGER
      );
      CREATE INDEX outbox_ready ON outbox(state, next_attempt_ms);
      CREATE INDEX outbox_store_ready ON outbox(store_id, state, id);
      CREATE INDEX outbox_batch ON outbox(batch_id, state);
      CREATE INDEX outbox_store_event ON outbox(store_id, event_key, id);

      ALTER TABLE deliveries ADD COLUMN outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL;
      ALTER TABLE deliveries ADD COLUMN batch_id TEXT;
      -- 1 when this attempt failed and the outbox will try again by itself
      ALTER TABLE deliveries ADD COLUMN will_retry INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX deliveries_outbox ON deliveries(outbox_id);
    `,
  },
  {
    version: 3,
    name: 'setup wizard: keyword, progress, test user, key health, archive, coexistence, drafts',
    sql: `
      ALTER TABLE stores ADD COLUMN keyword TEXT;
      -- where the agent was in the setup wizard: user | events | test | done
      ALTER TABLE stores ADD COLUMN setup_step TEXT NOT NULL DEFAULT 'user';
      ALTER TABLE stores ADD COLUMN archived_at TEXT;
      ALTER TABLE stores ADD COLUMN test_subscriber_id TEXT;
      -- ok | not_found | no_transactional, from the last check of the Test Event User
      ALTER TABLE stores ADD COLUMN test_user_status TEXT;
      ALTER TABLE stores ADD COLUMN test_user_checked_at TEXT;
      -- valid | invalid, from the last check of the key with Postscript
      ALTER TABLE credentials ADD COLUMN status TEXT NOT NULL DEFAULT 'valid';
      ALTER TABLE credentials ADD COLUMN checked_at TEXT;
      -- the merchant also sends this event through SkioSMS (both would text the subscriber)
      ALTER TABLE triggers ADD COLUMN skio_sms_also INTEGER NOT NULL DEFAULT 0;
      -- small named values: the new-store wizard's draft (never a secret)
      CREATE TABLE app_state (key TEXT PRIMARY KEY, value_json TEXT NOT NULL, updated_at TEXT NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'delivery log at scale: filters, full-text search, per-event summary',
    sql: `
      -- The subscriber phone the attempt was for, pulled out of the body for search and display.
      ALTER TABLE deliveries ADD COLUMN phone TEXT;
      UPDATE deliveries SET phone = json_extract(request_body, '$.phone') WHERE json_valid(request_body);

      -- Filters page by key (id) within each filter, so each gets an index ending in id.
      CREATE INDEX deliveries_outcome ON deliveries(outcome, id);
      CREATE INDEX deliveries_event ON deliveries(event_key, id);
      CREATE INDEX deliveries_status ON deliveries(response_status, id);
      CREATE INDEX deliveries_batch ON deliveries(batch_id, id);
      CREATE INDEX deliveries_started ON deliveries(started_at);

      -- Substring search over external_id, phone and error message (trigram: any 3+ characters).
      CREATE VIRTUAL TABLE deliveries_fts USING fts5(
        external_id, phone, error_message, content = 'deliveries', content_rowid = 'id', tokenize = 'trigram'
      );
      INSERT INTO deliveries_fts (deliveries_fts) VALUES ('rebuild');
      CREATE TRIGGER deliveries_fts_insert AFTER INSERT ON deliveries BEGIN
        INSERT INTO deliveries_fts (rowid, external_id, phone, error_message) VALUES (new.id, new.external_id, new.phone, new.error_message);
      END;
      CREATE TRIGGER deliveries_fts_delete AFTER DELETE ON deliveries BEGIN
        INSERT INTO deliveries_fts (deliveries_fts, rowid, external_id, phone, error_message)
        VALUES ('delete', old.id, old.external_id, old.phone, old.error_message);
      END;

      -- Last success and last failure per store and event, kept as attempts arrive, so the
      -- overview never scans the log. Survives pruning: it is history, not rows.
      CREATE TABLE delivery_summary (
        store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        event_key TEXT NOT NULL,
        last_success_at TEXT,
        last_failure_at TEXT,
        last_failure_message TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (store_id, event_key)
      );
      INSERT INTO delivery_summary (store_id, event_key, last_success_at, last_failure_at, attempts)
        SELECT store_id, event_key,
               MAX(CASE WHEN outcome = 'delivered' THEN started_at END),
               MAX(CASE WHEN outcome <> 'delivered' THEN started_at END),
               COUNT(*)
        FROM deliveries GROUP BY store_id, event_key;
      UPDATE delivery_summary SET last_failure_message = (
        SELECT d.error_message FROM deliveries d
        WHERE d.store_id = delivery_summary.store_id AND d.event_key = delivery_summary.event_key AND d.outcome <> 'delivered'
        ORDER BY d.id DESC LIMIT 1);
      CREATE TRIGGER delivery_summary_insert AFTER INSERT ON deliveries BEGIN
        INSERT INTO delivery_summary (store_id, event_key, last_success_at, last_failure_at, last_failure_message, attempts)
        VALUES (
          new.store_id, new.event_key,
          CASE WHEN new.outcome = 'delivered' THEN new.started_at END,
          CASE WHEN new.outcome <> 'delivered' THEN new.started_at END,
          CASE WHEN new.outcome <> 'delivered' THEN new.error_message END,
          1)
        ON CONFLICT (store_id, event_key) DO UPDATE SET
          attempts = attempts + 1,
          last_success_at = CASE WHEN new.outcome = 'delivered' THEN new.started_at ELSE last_success_at END,
          last_failure_at = CASE WHEN new.outcome <> 'delivered' THEN new.started_at ELSE last_failure_at END,
          last_failure_message = CASE WHEN new.outcome <> 'delivered' THEN new.error_message ELSE last_failure_message END;
      END;
    `,
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
    version: 9,
    name: 'team sync: hybrid logical clock, outgoing changes captured by triggers, field versions, agent marks',
    sql: syncMigrationSql(),
  },
  {
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
  },
];
