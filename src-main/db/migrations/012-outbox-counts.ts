import type { Migration } from './migration';

/**
 * Migration 12. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 */
export const migration012: Migration = {
  version: 12,
  name: 'outbox: counts per batch and state kept by triggers; a batch progress rate from an index',
  sql: `
      -- How many items of each batch ('' for none) are in each state, kept by the triggers below in
      -- the transaction that changes an item. The banner and the batch cards read these counts each
      -- time sends land; counting the items themselves cost as much as the whole queue each time,
      -- so a batch twice as large made every send dearer (docs/benchmarks.md, "5,000 stores").
      CREATE TABLE outbox_counts (
        batch_key TEXT NOT NULL,
        state TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (batch_key, state)
      ) WITHOUT ROWID;
      INSERT INTO outbox_counts (batch_key, state, n)
        SELECT COALESCE(batch_id, ''), state, COUNT(*) FROM outbox GROUP BY COALESCE(batch_id, ''), state;
      CREATE TRIGGER outbox_counts_insert AFTER INSERT ON outbox BEGIN
        INSERT INTO outbox_counts (batch_key, state, n) VALUES (COALESCE(new.batch_id, ''), new.state, 1)
          ON CONFLICT (batch_key, state) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER outbox_counts_delete AFTER DELETE ON outbox BEGIN
        UPDATE outbox_counts SET n = n - 1 WHERE batch_key = COALESCE(old.batch_id, '') AND state = old.state;
      END;
      CREATE TRIGGER outbox_counts_update AFTER UPDATE OF state, batch_id ON outbox
        WHEN old.state IS NOT new.state OR old.batch_id IS NOT new.batch_id BEGIN
        UPDATE outbox_counts SET n = n - 1 WHERE batch_key = COALESCE(old.batch_id, '') AND state = old.state;
        INSERT INTO outbox_counts (batch_key, state, n) VALUES (COALESCE(new.batch_id, ''), new.state, 1)
          ON CONFLICT (batch_key, state) DO UPDATE SET n = n + 1;
      END;
      -- A batch's rate ("finished in the last 10 s") reads only the recent items, not every item.
      CREATE INDEX outbox_batch_finished ON outbox(batch_id, finished_ms);
      -- A teammate's batch: its counts from team_outbox through an index, not a scan.
      CREATE INDEX team_outbox_batch ON team_outbox(batch_id, state);
    `,
};
