import type { Migration } from './migration';

/**
 * Migration 11: what Postscript last said about each store (read by readiness, the stores list's
 * health and the needs-attention count; written by `postscript/evidence.ts`). Shipped: never edit
 * this file (its checksum is pinned in `test/unit/migrationChecksums.test.ts`); add a new one.
 */
export const migration011: Migration = {
  version: 11,
  name: 'what Postscript last said about each store (key, keywords, Test Event User, webhooks)',
  sql: `
      -- One row per store and subject, replaced by each answer: when it was said and which path asked.
      CREATE TABLE postscript_evidence (
        store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        subject TEXT NOT NULL CHECK (subject IN ('key', 'keywords', 'test_user', 'webhooks')),
        said_at TEXT NOT NULL,
        source TEXT NOT NULL,
        value_json TEXT NOT NULL,
        PRIMARY KEY (store_id, subject)
      ) WITHOUT ROWID;
      -- What earlier versions knew, kept with its own time: keys and Test Event Users checked with
      -- Postscript, and the keyword and webhook lists read by "Re-check with Postscript".
      INSERT INTO postscript_evidence (store_id, subject, said_at, source, value_json)
        SELECT c.store_id, 'key', c.checked_at, 'earlier',
               json_object('accepted', json(CASE c.status WHEN 'valid' THEN 'true' ELSE 'false' END), 'keyMask', c.mask, 'shopName', s.postscript_shop_name, 'message', NULL)
        FROM credentials c JOIN stores s ON s.id = c.store_id
        WHERE c.status IN ('valid', 'invalid') AND c.checked_at IS NOT NULL;
      INSERT INTO postscript_evidence (store_id, subject, said_at, source, value_json)
        SELECT id, 'test_user', test_user_checked_at, 'earlier', json_object('phone', test_phone, 'status', test_user_status, 'subscriberId', test_subscriber_id)
        FROM stores
        WHERE test_user_status IN ('ok', 'not_found', 'no_transactional') AND test_user_checked_at IS NOT NULL AND test_phone IS NOT NULL;
      INSERT INTO postscript_evidence (store_id, subject, said_at, source, value_json)
        SELECT substr(a.key, 20), CASE WHEN a.key LIKE 'readiness.keywords.%' THEN 'keywords' ELSE 'webhooks' END,
               json_extract(a.value_json, '$.checkedAt'), 'earlier',
               CASE WHEN a.key LIKE 'readiness.keywords.%' THEN json_object('keywords', json_extract(a.value_json, '$.keywords'))
                    ELSE json_object('callbackUrls', json_extract(a.value_json, '$.callbackUrls')) END
        FROM app_state a
        WHERE (a.key LIKE 'readiness.keywords.%' OR a.key LIKE 'readiness.webhooks.%')
          AND json_extract(a.value_json, '$.checkedAt') IS NOT NULL
          AND substr(a.key, 20) IN (SELECT id FROM stores);
      DELETE FROM app_state WHERE key LIKE 'readiness.keywords.%' OR key LIKE 'readiness.webhooks.%';
    `,
};
