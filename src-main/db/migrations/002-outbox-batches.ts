import type { Migration } from './migration';

/**
 * Migration 2. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 */
export const migration002: Migration = {
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
};
