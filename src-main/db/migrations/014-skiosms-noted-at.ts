import type { Migration } from './migration';

/**
 * Migration 14. Shipped: never edit this file (its checksum is pinned in
 * `test/unit/migrationChecksums.test.ts`); add a new migration instead.
 *
 * When the agent last answered "Also sent by SkioSMS" for an event: the readiness check states that
 * answer, and an answer is evidence only with its time. Synced with the event's other fields (the
 * triggers' capture is recreated from `db/syncCaptureSql.ts`), so a teammate's report says when too.
 * Answers given before this version have no time (NULL), and the check says so.
 */
export const migration014: Migration = {
  version: 14,
  name: 'when the agent last answered whether SkioSMS also texts an event',
  sql: `
      ALTER TABLE triggers ADD COLUMN skio_sms_noted_at TEXT;
      DROP TRIGGER sync_triggers_insert;
      CREATE TRIGGER sync_triggers_insert AFTER INSERT ON triggers WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) BEGIN
          UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
          INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'trigger', new.store_id || '/' || new.event_key, hlc, json_object('store_id', new.store_id, 'event_key', new.event_key, 'enabled', new.enabled, 'settings_json', new.settings_json, 'skio_sms_also', new.skio_sms_also, 'skio_sms_noted_at', new.skio_sms_noted_at) FROM sync_clock WHERE id = 1;
          INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
            SELECT 'trigger', new.store_id || '/' || new.event_key, f.value, c.hlc, c.node FROM json_each('["enabled","settings_json","skio_sms_also","skio_sms_noted_at"]') f, sync_clock c WHERE c.id = 1
            ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
        END;
      CREATE TRIGGER sync_triggers_skio_sms_noted_at AFTER UPDATE OF skio_sms_noted_at ON triggers WHEN (SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1) AND old.skio_sms_noted_at IS NOT new.skio_sms_noted_at BEGIN
              UPDATE sync_clock SET counter = CASE WHEN CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)) WHERE id = 1;
          INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'trigger', new.store_id || '/' || new.event_key, hlc, json_object('store_id', new.store_id, 'event_key', new.event_key, 'skio_sms_noted_at', new.skio_sms_noted_at) FROM sync_clock WHERE id = 1;
          INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
            SELECT 'trigger', new.store_id || '/' || new.event_key, f.value, c.hlc, c.node FROM json_each('["skio_sms_noted_at"]') f, sync_clock c WHERE c.id = 1
            ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;
            END;
    `,
};
