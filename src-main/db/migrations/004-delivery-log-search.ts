import type { Migration } from './migration';

/**
 * Migration 4. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 */
export const migration004: Migration = {
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
};
