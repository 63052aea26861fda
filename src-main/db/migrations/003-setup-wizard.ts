import type { Migration } from './migration';

/**
 * Migration 3. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 */
export const migration003: Migration = {
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
};
