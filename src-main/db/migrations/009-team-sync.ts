import type { Migration } from './migration';

/**
 * Migration 9. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 *
 * Generated once from `SYNC_ENTITIES` in `db/syncCaptureSql.ts` and committed as text, so every
 * install runs the same triggers. A change to what is synced is a new migration that recreates the
 * triggers; `test/unit/migrationChecksums.test.ts` fails until the latest triggers match the spec.
 */
export const migration009: Migration = {
  version: 9,
  name: 'team sync: hybrid logical clock, outgoing changes captured by triggers, field versions, agent marks',
  sql: `
    -- This console's hybrid logical clock; node is the agent id, made once per data directory.
    CREATE TABLE sync_clock (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      ms INTEGER NOT NULL,
      counter INTEGER NOT NULL,
      node TEXT NOT NULL,
      hlc TEXT GENERATED ALWAYS AS (printf('%012x-%08x-%s', ms, counter, node)) VIRTUAL
    );
    INSERT INTO sync_clock (id, ms, counter, node) VALUES (1, 0, 0, lower(hex(randomblob(8))));

    -- Team mode on/off, the "applying a teammate's change" flag, and the pull cursors.
    CREATE TABLE sync_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      enabled INTEGER NOT NULL DEFAULT 0,
      applying INTEGER NOT NULL DEFAULT 0,
      changes_xid TEXT NOT NULL DEFAULT '0',
      changes_id INTEGER NOT NULL DEFAULT 0,
      deliveries_xid TEXT NOT NULL DEFAULT '0',
      deliveries_id INTEGER NOT NULL DEFAULT 0,
      -- How many rows of each table the cursor has passed: checked against the team database on
      -- connect, so a cursor that drifted (a bug, a hand edit) is noticed and re-read from the start.
      changes_seen INTEGER NOT NULL DEFAULT 0,
      deliveries_seen INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO sync_state (id) VALUES (1);

    -- Changes waiting to go up, deleted only once the team database has them.
    CREATE TABLE sync_outgoing (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      entity TEXT NOT NULL,
      row_id TEXT NOT NULL,
      hlc TEXT NOT NULL UNIQUE,
      payload TEXT NOT NULL
    );

    -- The newest change known per field: decides last writer wins, and says who changed what when.
    CREATE TABLE sync_fields (
      entity TEXT NOT NULL,
      row_id TEXT NOT NULL,
      field TEXT NOT NULL,
      hlc TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      PRIMARY KEY (entity, row_id, field)
    ) WITHOUT ROWID;

    CREATE TABLE sync_agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, hlc TEXT NOT NULL);

    -- Teammates' changes this console could not apply (failed validation), kept with the reason.
    CREATE TABLE sync_rejected (
      change_id TEXT PRIMARY KEY,
      agent_id TEXT NOT NULL,
      entity TEXT NOT NULL,
      row_id TEXT NOT NULL,
      payload TEXT NOT NULL,
      reason TEXT NOT NULL,
      at TEXT NOT NULL
    );

    -- Team connection secrets (database password, derived team key), encrypted like API keys.
    CREATE TABLE sync_secrets (name TEXT PRIMARY KEY, scheme TEXT NOT NULL, ciphertext BLOB NOT NULL);

    -- Teammates' outbox items: shown, never sent from here (only their own console sends them).
    CREATE TABLE team_outbox (
      external_id TEXT PRIMARY KEY,
      agent_id TEXT NOT NULL,
      store_id TEXT NOT NULL,
      event_key TEXT NOT NULL,
      batch_id TEXT,
      state TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      last_error TEXT,
      created_ms INTEGER NOT NULL,
      finished_ms INTEGER
    );
    CREATE INDEX team_outbox_state ON team_outbox(state, created_ms);

    -- Who made a row: NULL is this console's agent; otherwise the teammate's agent id. origin_key
    -- is the teammate's change id, unique, so a row pulled twice lands once.
    ALTER TABLE deliveries ADD COLUMN agent_id TEXT;
    ALTER TABLE deliveries ADD COLUMN origin_key TEXT;
    CREATE UNIQUE INDEX deliveries_origin ON deliveries(origin_key);
    CREATE INDEX deliveries_agent ON deliveries(agent_id, id);
    ALTER TABLE inbound_webhooks ADD COLUMN agent_id TEXT;
    ALTER TABLE inbound_webhooks ADD COLUMN origin_key TEXT;
    CREATE UNIQUE INDEX inbound_origin ON inbound_webhooks(origin_key);
    ALTER TABLE batches ADD COLUMN agent_id TEXT;

    CREATE TRIGGER sync_stores_insert AFTER INSERT ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) BEGIN
    UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'name', new.name, 'shop_domain', new.shop_domain, 'account', new.account, 'postscript_shop_id', new.postscript_shop_id, 'postscript_shop_name', new.postscript_shop_name, 'test_phone', new.test_phone, 'keyword', new.keyword, 'setup_step', new.setup_step, 'archived_at', new.archived_at, 'test_subscriber_id', new.test_subscriber_id, 'test_user_status', new.test_user_status, 'test_user_checked_at', new.test_user_checked_at, 'skip_word', new.skip_word, 'created_at', new.created_at) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["name","shop_domain","account","postscript_shop_id","postscript_shop_name","test_phone","keyword","setup_step","archived_at","test_subscriber_id","test_user_status","test_user_checked_at","skip_word","created_at"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
  END;
CREATE TRIGGER sync_stores_name AFTER UPDATE OF name ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.name IS NOT new.name BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'name', new.name) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["name"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_shop_domain AFTER UPDATE OF shop_domain ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.shop_domain IS NOT new.shop_domain BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'shop_domain', new.shop_domain) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["shop_domain"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_account AFTER UPDATE OF account ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.account IS NOT new.account BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'account', new.account) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["account"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_postscript_shop_id AFTER UPDATE OF postscript_shop_id ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.postscript_shop_id IS NOT new.postscript_shop_id BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'postscript_shop_id', new.postscript_shop_id) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["postscript_shop_id"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_postscript_shop_name AFTER UPDATE OF postscript_shop_name ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.postscript_shop_name IS NOT new.postscript_shop_name BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'postscript_shop_name', new.postscript_shop_name) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["postscript_shop_name"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_test_phone AFTER UPDATE OF test_phone ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.test_phone IS NOT new.test_phone BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'test_phone', new.test_phone) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["test_phone"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_keyword AFTER UPDATE OF keyword ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.keyword IS NOT new.keyword BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'keyword', new.keyword) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["keyword"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_setup_step AFTER UPDATE OF setup_step ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.setup_step IS NOT new.setup_step BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'setup_step', new.setup_step) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["setup_step"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_archived_at AFTER UPDATE OF archived_at ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.archived_at IS NOT new.archived_at BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'archived_at', new.archived_at) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["archived_at"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_test_subscriber_id AFTER UPDATE OF test_subscriber_id ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.test_subscriber_id IS NOT new.test_subscriber_id BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'test_subscriber_id', new.test_subscriber_id) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["test_subscriber_id"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_test_user_status AFTER UPDATE OF test_user_status ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.test_user_status IS NOT new.test_user_status BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'test_user_status', new.test_user_status) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["test_user_status"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_test_user_checked_at AFTER UPDATE OF test_user_checked_at ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.test_user_checked_at IS NOT new.test_user_checked_at BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'test_user_checked_at', new.test_user_checked_at) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["test_user_checked_at"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_skip_word AFTER UPDATE OF skip_word ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.skip_word IS NOT new.skip_word BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'skip_word', new.skip_word) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["skip_word"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_stores_created_at AFTER UPDATE OF created_at ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.created_at IS NOT new.created_at BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', new.id, hlc, json_object('id', new.id, 'created_at', new.created_at) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', new.id, f.value, c.hlc, c.node FROM json_each('["created_at"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_triggers_insert AFTER INSERT ON triggers WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) BEGIN
    UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'trigger', new.store_id || '/' || new.event_key, hlc, json_object('store_id', new.store_id, 'event_key', new.event_key, 'enabled', new.enabled, 'settings_json', new.settings_json, 'skio_sms_also', new.skio_sms_also) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'trigger', new.store_id || '/' || new.event_key, f.value, c.hlc, c.node FROM json_each('["enabled","settings_json","skio_sms_also"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
  END;
CREATE TRIGGER sync_triggers_enabled AFTER UPDATE OF enabled ON triggers WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.enabled IS NOT new.enabled BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'trigger', new.store_id || '/' || new.event_key, hlc, json_object('store_id', new.store_id, 'event_key', new.event_key, 'enabled', new.enabled) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'trigger', new.store_id || '/' || new.event_key, f.value, c.hlc, c.node FROM json_each('["enabled"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_triggers_settings_json AFTER UPDATE OF settings_json ON triggers WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.settings_json IS NOT new.settings_json BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'trigger', new.store_id || '/' || new.event_key, hlc, json_object('store_id', new.store_id, 'event_key', new.event_key, 'settings_json', new.settings_json) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'trigger', new.store_id || '/' || new.event_key, f.value, c.hlc, c.node FROM json_each('["settings_json"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_triggers_skio_sms_also AFTER UPDATE OF skio_sms_also ON triggers WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.skio_sms_also IS NOT new.skio_sms_also BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'trigger', new.store_id || '/' || new.event_key, hlc, json_object('store_id', new.store_id, 'event_key', new.event_key, 'skio_sms_also', new.skio_sms_also) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'trigger', new.store_id || '/' || new.event_key, f.value, c.hlc, c.node FROM json_each('["skio_sms_also"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_test_subscriptions_insert AFTER INSERT ON test_subscriptions WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) BEGIN
    UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'test_subscription', new.store_id, hlc, json_object('store_id', new.store_id, 'phone', new.phone, 'next_billing_date', new.next_billing_date, 'interval_days', new.interval_days, 'skipped_count', new.skipped_count) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'test_subscription', new.store_id, f.value, c.hlc, c.node FROM json_each('["phone","next_billing_date","interval_days","skipped_count"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
  END;
CREATE TRIGGER sync_test_subscriptions_phone AFTER UPDATE OF phone ON test_subscriptions WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.phone IS NOT new.phone BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'test_subscription', new.store_id, hlc, json_object('store_id', new.store_id, 'phone', new.phone) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'test_subscription', new.store_id, f.value, c.hlc, c.node FROM json_each('["phone"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_test_subscriptions_next_billing_date AFTER UPDATE OF next_billing_date ON test_subscriptions WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.next_billing_date IS NOT new.next_billing_date BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'test_subscription', new.store_id, hlc, json_object('store_id', new.store_id, 'next_billing_date', new.next_billing_date) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'test_subscription', new.store_id, f.value, c.hlc, c.node FROM json_each('["next_billing_date"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_test_subscriptions_interval_days AFTER UPDATE OF interval_days ON test_subscriptions WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.interval_days IS NOT new.interval_days BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'test_subscription', new.store_id, hlc, json_object('store_id', new.store_id, 'interval_days', new.interval_days) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'test_subscription', new.store_id, f.value, c.hlc, c.node FROM json_each('["interval_days"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_test_subscriptions_skipped_count AFTER UPDATE OF skipped_count ON test_subscriptions WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.skipped_count IS NOT new.skipped_count BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'test_subscription', new.store_id, hlc, json_object('store_id', new.store_id, 'skipped_count', new.skipped_count) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'test_subscription', new.store_id, f.value, c.hlc, c.node FROM json_each('["skipped_count"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_credentials_insert AFTER INSERT ON credentials WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) BEGIN
    UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'credential', new.store_id, hlc, json_object('store_id', new.store_id, 'kind', new.kind, 'scheme', new.scheme, 'ciphertext', hex(new.ciphertext), 'mask', new.mask, 'fingerprint', new.fingerprint, 'validated_at', new.validated_at, 'status', new.status, 'checked_at', new.checked_at) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'credential', new.store_id, f.value, c.hlc, c.node FROM json_each('["_"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
  END;
CREATE TRIGGER sync_credentials_update AFTER UPDATE ON credentials WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND (old.kind IS NOT new.kind OR old.scheme IS NOT new.scheme OR old.ciphertext IS NOT new.ciphertext OR old.mask IS NOT new.mask OR old.fingerprint IS NOT new.fingerprint OR old.validated_at IS NOT new.validated_at OR old.status IS NOT new.status OR old.checked_at IS NOT new.checked_at) BEGIN
      UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'credential', new.store_id, hlc, json_object('store_id', new.store_id, 'kind', new.kind, 'scheme', new.scheme, 'ciphertext', hex(new.ciphertext), 'mask', new.mask, 'fingerprint', new.fingerprint, 'validated_at', new.validated_at, 'status', new.status, 'checked_at', new.checked_at) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'credential', new.store_id, f.value, c.hlc, c.node FROM json_each('["_"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
    END;
CREATE TRIGGER sync_webhook_tokens_insert AFTER INSERT ON webhook_tokens WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) BEGIN
    UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'webhook_token', new.store_id, hlc, json_object('store_id', new.store_id, 'scheme', new.scheme, 'ciphertext', hex(new.ciphertext), 'mask', new.mask, 'fetched_at', new.fetched_at) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'webhook_token', new.store_id, f.value, c.hlc, c.node FROM json_each('["_"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
  END;
CREATE TRIGGER sync_webhook_tokens_update AFTER UPDATE ON webhook_tokens WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND (old.scheme IS NOT new.scheme OR old.ciphertext IS NOT new.ciphertext OR old.mask IS NOT new.mask OR old.fetched_at IS NOT new.fetched_at) BEGIN
      UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'webhook_token', new.store_id, hlc, json_object('store_id', new.store_id, 'scheme', new.scheme, 'ciphertext', hex(new.ciphertext), 'mask', new.mask, 'fetched_at', new.fetched_at) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'webhook_token', new.store_id, f.value, c.hlc, c.node FROM json_each('["_"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
    END;
CREATE TRIGGER sync_batches_insert AFTER INSERT ON batches WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) BEGIN
    UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'batch', new.id, hlc, json_object('id', new.id, 'name', new.name, 'status', new.status, 'created_ms', new.created_ms, 'finished_ms', new.finished_ms, 'rerun_of', new.rerun_of) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'batch', new.id, f.value, c.hlc, c.node FROM json_each('["name","status","created_ms","finished_ms","rerun_of"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
  END;
CREATE TRIGGER sync_batches_name AFTER UPDATE OF name ON batches WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.name IS NOT new.name BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'batch', new.id, hlc, json_object('id', new.id, 'name', new.name) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'batch', new.id, f.value, c.hlc, c.node FROM json_each('["name"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_batches_status AFTER UPDATE OF status ON batches WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.status IS NOT new.status BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'batch', new.id, hlc, json_object('id', new.id, 'status', new.status) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'batch', new.id, f.value, c.hlc, c.node FROM json_each('["status"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_batches_created_ms AFTER UPDATE OF created_ms ON batches WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.created_ms IS NOT new.created_ms BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'batch', new.id, hlc, json_object('id', new.id, 'created_ms', new.created_ms) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'batch', new.id, f.value, c.hlc, c.node FROM json_each('["created_ms"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_batches_finished_ms AFTER UPDATE OF finished_ms ON batches WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.finished_ms IS NOT new.finished_ms BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'batch', new.id, hlc, json_object('id', new.id, 'finished_ms', new.finished_ms) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'batch', new.id, f.value, c.hlc, c.node FROM json_each('["finished_ms"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_batches_rerun_of AFTER UPDATE OF rerun_of ON batches WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.rerun_of IS NOT new.rerun_of BEGIN
        UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'batch', new.id, hlc, json_object('id', new.id, 'rerun_of', new.rerun_of) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'batch', new.id, f.value, c.hlc, c.node FROM json_each('["rerun_of"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
      END;
CREATE TRIGGER sync_outbox_insert AFTER INSERT ON outbox WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) BEGIN
    UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'outbox', new.external_id, hlc, json_object('external_id', new.external_id, 'store_id', new.store_id, 'event_key', new.event_key, 'batch_id', new.batch_id, 'state', new.state, 'attempts', new.attempts, 'last_error', new.last_error, 'created_ms', new.created_ms, 'finished_ms', new.finished_ms) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'outbox', new.external_id, f.value, c.hlc, c.node FROM json_each('["_"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
  END;
CREATE TRIGGER sync_outbox_update AFTER UPDATE ON outbox WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND (old.store_id IS NOT new.store_id OR old.event_key IS NOT new.event_key OR old.batch_id IS NOT new.batch_id OR old.state IS NOT new.state OR old.attempts IS NOT new.attempts OR old.last_error IS NOT new.last_error OR old.created_ms IS NOT new.created_ms OR old.finished_ms IS NOT new.finished_ms) BEGIN
      UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'outbox', new.external_id, hlc, json_object('external_id', new.external_id, 'store_id', new.store_id, 'event_key', new.event_key, 'batch_id', new.batch_id, 'state', new.state, 'attempts', new.attempts, 'last_error', new.last_error, 'created_ms', new.created_ms, 'finished_ms', new.finished_ms) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'outbox', new.external_id, f.value, c.hlc, c.node FROM json_each('["_"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
    END;

    CREATE TRIGGER sync_stores_delete AFTER DELETE ON stores WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) BEGIN
      UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'store', old.id, hlc, json_object('id', old.id, '_deleted', 1) FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT 'store', old.id, f.value, c.hlc, c.node FROM json_each('["_deleted"]') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
    END;
    CREATE TRIGGER sync_deliveries_insert AFTER INSERT ON deliveries WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND new.agent_id IS NULL BEGIN
      UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
      INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'delivery', new.id, hlc, json_object('id', new.id, 'store_id', new.store_id, 'event_key', new.event_key, 'postscript_type', new.postscript_type, 'external_id', new.external_id, 'attempt', new.attempt, 'outcome', new.outcome, 'request_method', new.request_method, 'request_url', new.request_url, 'request_headers_json', new.request_headers_json, 'request_body', new.request_body, 'response_status', new.response_status, 'response_body', new.response_body, 'error_code', new.error_code, 'error_message', new.error_message, 'latency_ms', new.latency_ms, 'started_at', new.started_at, 'finished_at', new.finished_at, 'batch_id', new.batch_id, 'will_retry', new.will_retry, 'phone', new.phone) FROM sync_clock WHERE id = 1;
    END;
    CREATE TRIGGER sync_inbound_insert AFTER INSERT ON inbound_webhooks WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND new.agent_id IS NULL BEGIN
      UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
      INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'inbound', new.id, hlc, json_object('id', new.id, 'received_at', new.received_at, 'store_id', new.store_id, 'event', new.event, 'event_data_id', new.event_data_id, 'signature', new.signature, 'status', new.status, 'action', new.action, 'reason', new.reason, 'from_number', new.from_number, 'message', new.message, 'before_date', new.before_date, 'after_date', new.after_date) FROM sync_clock WHERE id = 1;
    END;
  `,
};
