/**
 * The live specification of what team sync shares: which tables and fields (`SYNC_ENTITIES`, read
 * by `db/syncApply.ts` and `db/syncRepo.ts`) and the SQLite triggers that capture them. Triggers
 * record every shared change in `sync_outgoing` inside the transaction that makes it, so a change
 * and its record for sync commit or roll back together, whichever repository method wrote it. Each
 * record gets the next hybrid logical clock value (`sync_clock`: wall ms, counter, agent id; it
 * sorts as text). Triggers stay quiet while team mode is off (`enabled = 0`) and while teammates'
 * changes are applied (`applying = 1`), so an applied change is never sent back up.
 *
 * The triggers were created by migration 9 from this file's output, committed as fixed text
 * (`db/migrations/009-team-sync.ts`). Changing what is synced here therefore needs a new migration
 * that drops and recreates the triggers with `syncCaptureTriggersSql()`; the checksum test fails
 * until the database's latest triggers match this specification.
 */

/** Shared entities whose fields converge by last writer wins. */
interface LwwEntity {
  entity: string;
  table: string;
  /** SQL expression of the row key, over NEW/OLD as `r`. */
  key: (r: 'new' | 'old') => string;
  /** Key columns sent with a new row. */
  keyColumns: string[];
  /** Fields that converge one by one; `whole` entities send all columns as one field `_`. */
  fields: string[];
  whole?: boolean;
}

export const SYNC_ENTITIES: readonly LwwEntity[] = [
  {
    entity: 'store',
    table: 'stores',
    key: (r) => `${r}.id`,
    keyColumns: ['id'],
    fields: [
      'name', 'shop_domain', 'account', 'postscript_shop_id', 'postscript_shop_name', 'test_phone', 'keyword', 'setup_step',
      'archived_at', 'test_subscriber_id', 'test_user_status', 'test_user_checked_at', 'skip_word', 'created_at',
    ],
  },
  {
    entity: 'trigger',
    table: 'triggers',
    key: (r) => `${r}.store_id || '/' || ${r}.event_key`,
    keyColumns: ['store_id', 'event_key'],
    fields: ['enabled', 'settings_json', 'skio_sms_also', 'skio_sms_noted_at'],
  },
  {
    entity: 'test_subscription',
    table: 'test_subscriptions',
    key: (r) => `${r}.store_id`,
    keyColumns: ['store_id'],
    fields: ['phone', 'next_billing_date', 'interval_days', 'skipped_count'],
  },
  {
    // Ciphertext under this laptop's key here; the sync worker re-encrypts it under the team key.
    entity: 'credential',
    table: 'credentials',
    key: (r) => `${r}.store_id`,
    keyColumns: ['store_id'],
    fields: ['kind', 'scheme', 'ciphertext', 'mask', 'fingerprint', 'validated_at', 'status', 'checked_at'],
    whole: true,
  },
  {
    entity: 'webhook_token',
    table: 'webhook_tokens',
    key: (r) => `${r}.store_id`,
    keyColumns: ['store_id'],
    fields: ['scheme', 'ciphertext', 'mask', 'fetched_at'],
    whole: true,
  },
  {
    entity: 'batch',
    table: 'batches',
    key: (r) => `${r}.id`,
    keyColumns: ['id'],
    fields: ['name', 'status', 'created_ms', 'finished_ms', 'rerun_of'],
  },
  {
    // Teammates see what this console has queued and in flight; only this console sends it.
    entity: 'outbox',
    table: 'outbox',
    key: (r) => `${r}.external_id`,
    keyColumns: ['external_id'],
    fields: ['store_id', 'event_key', 'batch_id', 'state', 'attempts', 'last_error', 'created_ms', 'finished_ms'],
    whole: true,
  },
];

const WHEN = `(SELECT enabled = 1 AND applying = 0 FROM sync_state WHERE id = 1)`;
const NOW_MS = `CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)`;
const TICK = `UPDATE sync_clock SET counter = CASE WHEN ${NOW_MS} > ms THEN 0 ELSE counter + 1 END, ms = MAX(ms, ${NOW_MS}) WHERE id = 1;`;

function value(col: string, r: 'new' | 'old'): string {
  // Blobs (ciphertext) travel as hex inside JSON.
  return col === 'ciphertext' ? `hex(${r}.${col})` : `${r}.${col}`;
}

function jsonOf(cols: string[], r: 'new' | 'old'): string {
  return `json_object(${cols.map((c) => `'${c}', ${value(c, r)}`).join(', ')})`;
}

function record(entity: string, key: string, payload: string, fields: string[]): string {
  return `${TICK}
    INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT '${entity}', ${key}, hlc, ${payload} FROM sync_clock WHERE id = 1;
    INSERT INTO sync_fields (entity, row_id, field, hlc, agent_id)
      SELECT '${entity}', ${key}, f.value, c.hlc, c.node FROM json_each('${JSON.stringify(fields)}') f, sync_clock c WHERE c.id = 1
      ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, agent_id = excluded.agent_id;`;
}

function lwwTriggers(e: LwwEntity): string {
  const all = [...e.keyColumns, ...e.fields];
  const parts: string[] = [];
  const whole = e.whole === true ? ['_'] : e.fields;
  parts.push(`CREATE TRIGGER sync_${e.table}_insert AFTER INSERT ON ${e.table} WHEN ${WHEN} BEGIN
    ${record(e.entity, e.key('new'), jsonOf(all, 'new'), whole)}
  END;`);
  if (e.whole === true) {
    const changed = e.fields.map((f) => `old.${f} IS NOT new.${f}`).join(' OR ');
    parts.push(`CREATE TRIGGER sync_${e.table}_update AFTER UPDATE ON ${e.table} WHEN ${WHEN} AND (${changed}) BEGIN
      ${record(e.entity, e.key('new'), jsonOf(all, 'new'), whole)}
    END;`);
  } else {
    for (const f of e.fields) {
      parts.push(`CREATE TRIGGER sync_${e.table}_${f} AFTER UPDATE OF ${f} ON ${e.table} WHEN ${WHEN} AND old.${f} IS NOT new.${f} BEGIN
        ${record(e.entity, e.key('new'), jsonOf([...e.keyColumns, f], 'new'), [f])}
      END;`);
    }
  }
  return parts.join('\n');
}

const DELIVERY_COLUMNS = [
  'id', 'store_id', 'event_key', 'postscript_type', 'external_id', 'attempt', 'outcome', 'request_method', 'request_url',
  'request_headers_json', 'request_body', 'response_status', 'response_body', 'error_code', 'error_message', 'latency_ms',
  'started_at', 'finished_at', 'batch_id', 'will_retry', 'phone',
];
const INBOUND_COLUMNS = [
  'id', 'received_at', 'store_id', 'event', 'event_data_id', 'signature', 'status', 'action', 'reason', 'from_number',
  'message', 'before_date', 'after_date',
];
export const APPEND_COLUMNS = { delivery: DELIVERY_COLUMNS, inbound: INBOUND_COLUMNS } as const;

/** Every capture trigger the specification above asks for, as `CREATE TRIGGER` statements. */
export function syncCaptureTriggersSql(): string {
  return `
    ${SYNC_ENTITIES.map(lwwTriggers).join('\n')}

    CREATE TRIGGER sync_stores_delete AFTER DELETE ON stores WHEN ${WHEN} BEGIN
      ${record('store', 'old.id', `json_object('id', old.id, '_deleted', 1)`, ['_deleted'])}
    END;
    CREATE TRIGGER sync_deliveries_insert AFTER INSERT ON deliveries WHEN ${WHEN} AND new.agent_id IS NULL BEGIN
      ${TICK}
      INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'delivery', new.id, hlc, ${jsonOf(DELIVERY_COLUMNS, 'new')} FROM sync_clock WHERE id = 1;
    END;
    CREATE TRIGGER sync_inbound_insert AFTER INSERT ON inbound_webhooks WHEN ${WHEN} AND new.agent_id IS NULL BEGIN
      ${TICK}
      INSERT INTO sync_outgoing (entity, row_id, hlc, payload) SELECT 'inbound', new.id, hlc, ${jsonOf(INBOUND_COLUMNS, 'new')} FROM sync_clock WHERE id = 1;
    END;
  `;
}
