/**
 * SQL for stores, their credentials and triggers, deliveries and saved settings. The outbox
 * (outbox.ts), SKIP (webhooks.ts) and the delivery log's reads (deliveryLog.ts) have their own
 * files here; nothing outside db/ writes SQL. Callers get plain typed rows; statements are prepared
 * once per database.
 */
import type { Db } from './database';
import { prepared } from './prepared';
import type { Account, DeliveryOutcome } from '../../src-shared/ipc/contract';

export interface StoreRow {
  id: string;
  name: string;
  shopDomain: string;
  account: Account;
  postscriptShopId: string | null;
  postscriptShopName: string | null;
  testPhone: string | null;
  createdAt: string;
  updatedAt: string;
  keyMask: string | null;
  keyValidatedAt: string | null;
  keyStatus: KeyStatus | null;
  keyCheckedAt: string | null;
  enabledEvents: number;
  /** Enabled events that have had at least one delivered test. */
  testedEvents: number;
  keyword: string | null;
  setupStep: SetupStep;
  archivedAt: string | null;
  testSubscriberId: string | null;
  testUserStatus: TestUserStatus | null;
  testUserCheckedAt: string | null;
  skipWord: string;
}

export type SetupStep = 'user' | 'events' | 'test' | 'done';
/** `unchecked`: saved while Postscript was out of reach (postscript/deferredChecks.ts checks it later). */
export type TestUserStatus = 'ok' | 'not_found' | 'no_transactional' | 'unchecked';
export type KeyStatus = 'valid' | 'invalid' | 'unchecked';

export interface CredentialRow {
  storeId: string;
  status: KeyStatus;
  checkedAt: string | null;
  kind: 'shop' | 'partner';
  scheme: string;
  ciphertext: Buffer;
  mask: string;
  fingerprint: string;
  validatedAt: string | null;
}

export interface TriggerRow {
  eventKey: string;
  pending: number;
  enabled: boolean;
  skioSmsAlso: boolean;
  /** When the agent last answered "Also sent by SkioSMS" (null: never, or before this was kept). */
  skioSmsNotedAt: string | null;
  settings: { daysBefore?: number };
  lastSuccessAt: string | null;
  lastOutcome: DeliveryOutcome | null;
  lastError: string | null;
}

export interface NewDelivery {
  storeId: string;
  eventKey: string;
  postscriptType: string;
  externalId: string;
  attempt: number;
  outcome: DeliveryOutcome;
  requestMethod: string;
  requestUrl: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseStatus: number | null;
  responseBody: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  latencyMs: number | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface DeliveryRow extends NewDelivery {
  id: number;
  storeName: string;
  phone: string | null;
  outboxId: number | null;
  batchId: string | null;
  willRetry: boolean;
}

export interface NewStore {
  id: string;
  name: string;
  shopDomain: string;
  account: Account;
  postscriptShopId: string | null;
  postscriptShopName: string | null;
  testPhone: string | null;
  keyword: string | null;
  credential: Omit<CredentialRow, 'storeId' | 'status' | 'checkedAt'> & { status?: KeyStatus };
  triggers: Array<{ eventKey: string; enabled: boolean; settings: object; skioSmsAlso?: boolean }>;
}

const STORE_SELECT = `
  SELECT s.id, s.name, s.shop_domain AS shopDomain, s.account, s.postscript_shop_id AS postscriptShopId,
         s.postscript_shop_name AS postscriptShopName, s.test_phone AS testPhone,
         s.created_at AS createdAt, s.updated_at AS updatedAt,
         c.mask AS keyMask, c.validated_at AS keyValidatedAt, c.status AS keyStatus, c.checked_at AS keyCheckedAt,
         s.keyword, s.setup_step AS setupStep, s.archived_at AS archivedAt, s.test_subscriber_id AS testSubscriberId,
         s.test_user_status AS testUserStatus, s.test_user_checked_at AS testUserCheckedAt, s.skip_word AS skipWord,
         (SELECT COUNT(*) FROM triggers t WHERE t.store_id = s.id AND t.enabled = 1) AS enabledEvents,
         (SELECT COUNT(*) FROM triggers t WHERE t.store_id = s.id AND t.enabled = 1 AND EXISTS (
            SELECT 1 FROM deliveries d WHERE d.store_id = t.store_id AND d.event_key = t.event_key AND d.outcome = 'delivered')) AS testedEvents
  FROM stores s LEFT JOIN credentials c ON c.store_id = s.id`;

const DELIVERY_SELECT = `
  SELECT d.id, d.store_id AS storeId, s.name AS storeName, d.event_key AS eventKey,
         d.postscript_type AS postscriptType, d.external_id AS externalId, d.attempt, d.outcome,
         d.request_method AS requestMethod, d.request_url AS requestUrl,
         d.request_headers_json AS requestHeadersJson, d.request_body AS requestBody,
         d.response_status AS responseStatus, d.response_body AS responseBody,
         d.error_code AS errorCode, d.error_message AS errorMessage, d.latency_ms AS latencyMs,
         d.started_at AS startedAt, d.finished_at AS finishedAt, d.outbox_id AS outboxId, d.batch_id AS batchId,
         d.will_retry AS willRetry, d.phone
  FROM deliveries d JOIN stores s ON s.id = d.store_id`;

/** The subscriber phone of an events request body, if it has one. */
export function phoneOf(body: string): string | null {
  try {
    const phone = (JSON.parse(body) as { phone?: unknown }).phone;
    return typeof phone === 'string' ? phone : null;
  } catch {
    return null;
  }
}

type RawDelivery = Omit<DeliveryRow, 'requestHeaders' | 'willRetry'> & { requestHeadersJson: string; willRetry: number };

function toDelivery(raw: RawDelivery): DeliveryRow {
  const { requestHeadersJson, willRetry, ...rest } = raw;
  return { ...rest, willRetry: willRetry === 1, requestHeaders: JSON.parse(requestHeadersJson) as Record<string, string> };
}

export class Repository {
  constructor(private readonly db: Db) {}

  listStores(): StoreRow[] {
    return prepared(this.db, `${STORE_SELECT} ORDER BY s.name COLLATE NOCASE, s.id`).all() as StoreRow[];
  }

  /** Several stores in one query (the list's changed rows), in list order. */
  getStoresByIds(ids: string[]): StoreRow[] {
    if (ids.length === 0) return [];
    return prepared(this.db, `${STORE_SELECT} WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY s.name COLLATE NOCASE, s.id`).all(JSON.stringify(ids)) as StoreRow[];
  }

  getStore(id: string): StoreRow | undefined {
    return prepared(this.db, `${STORE_SELECT} WHERE s.id = ?`).get(id) as StoreRow | undefined;
  }

  setSkipWord(storeId: string, word: string): void {
    prepared(this.db, `UPDATE stores SET skip_word = ?, updated_at = ? WHERE id = ?`).run(word, new Date().toISOString(), storeId);
  }

  findStoreByDomain(domain: string): StoreRow | undefined {
    return prepared(this.db, `${STORE_SELECT} WHERE s.shop_domain = ?`).get(domain) as StoreRow | undefined;
  }

  /** Which store already uses a key with this fingerprint, if any. */
  findStoreByKeyFingerprint(fingerprint: string): StoreRow | undefined {
    return prepared(this.db, `${STORE_SELECT} WHERE c.fingerprint = ? LIMIT 1`)
      .get(fingerprint) as StoreRow | undefined;
  }

  /** Store, credential and triggers are written together or not at all. */
  insertStore(store: NewStore): void {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      prepared(this.db, 
          `INSERT INTO stores (id, name, shop_domain, account, postscript_shop_id, postscript_shop_name, test_phone, keyword, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(store.id, store.name, store.shopDomain, store.account, store.postscriptShopId, store.postscriptShopName, store.testPhone, store.keyword, now, now);
      const c = store.credential;
      prepared(this.db, 
          `INSERT INTO credentials (store_id, kind, scheme, ciphertext, mask, fingerprint, validated_at, checked_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(store.id, c.kind, c.scheme, c.ciphertext, c.mask, c.fingerprint, c.validatedAt, c.validatedAt, c.status ?? 'valid');
      const insertTrigger = prepared(this.db, 
        `INSERT INTO triggers (store_id, event_key, enabled, settings_json, skio_sms_also, skio_sms_noted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const t of store.triggers) {
        // A store made with "also sent by SkioSMS" ticked (an imported configuration) was answered now.
        insertTrigger.run(store.id, t.eventKey, t.enabled ? 1 : 0, JSON.stringify(t.settings), t.skioSmsAlso === true ? 1 : 0, t.skioSmsAlso === true ? now : null, now);
      }
    })();
  }

  removeStore(id: string): boolean {
    return prepared(this.db, `DELETE FROM stores WHERE id = ?`).run(id).changes > 0;
  }

  getCredential(storeId: string): CredentialRow | undefined {
    return prepared(this.db, 
        `SELECT store_id AS storeId, kind, scheme, ciphertext, mask, fingerprint, validated_at AS validatedAt,
                status, checked_at AS checkedAt
         FROM credentials WHERE store_id = ?`,
      )
      .get(storeId) as CredentialRow | undefined;
  }

  listTriggers(storeId: string): TriggerRow[] {
    const rows = prepared(this.db, 
        `SELECT t.event_key AS eventKey, t.enabled, t.settings_json AS settingsJson, t.skio_sms_also AS skioSmsAlso,
                t.skio_sms_noted_at AS skioSmsNotedAt,
                (SELECT MAX(d.finished_at) FROM deliveries d
                  WHERE d.store_id = t.store_id AND d.event_key = t.event_key AND d.outcome = 'delivered') AS lastSuccessAt,
                last.outcome AS lastOutcome, last.error_message AS lastError,
                (SELECT COUNT(*) FROM outbox o WHERE o.store_id = t.store_id AND o.event_key = t.event_key
                  AND o.state IN ('queued', 'in_flight')) AS pending
         FROM triggers t
         LEFT JOIN deliveries last ON last.id = (
           SELECT MAX(d.id) FROM deliveries d WHERE d.store_id = t.store_id AND d.event_key = t.event_key)
         WHERE t.store_id = ?`,
      )
      .all(storeId) as Array<Omit<TriggerRow, 'enabled' | 'settings' | 'skioSmsAlso'> & { enabled: number; settingsJson: string; skioSmsAlso: number }>;
    return rows.map(({ settingsJson, enabled, skioSmsAlso, ...r }) => ({
      ...r,
      enabled: enabled === 1,
      skioSmsAlso: skioSmsAlso === 1,
      settings: JSON.parse(settingsJson) as { daysBefore?: number },
    }));
  }

  /**
   * Per event of the store, the teammate who last answered "Also sent by SkioSMS" (the field's
   * author, from the team database's login; by name when known). This console's own answers and
   * answers with no team version are left out. Read only by the readiness check, not by every
   * caller of listTriggers.
   */
  skioSmsAnswerers(storeId: string): Map<string, string> {
    const rows = prepared(
      this.db,
      `SELECT substr(f.row_id, length(?) + 2) AS eventKey, COALESCE(a.name, f.agent_id) AS who
         FROM sync_fields f JOIN sync_clock c ON c.id = 1 LEFT JOIN sync_agents a ON a.id = f.agent_id
        -- The store's trigger rows ("<store id>/<event>"), as a range the primary key can seek: '0' follows '/'.
        WHERE f.entity = 'trigger' AND f.row_id >= ? || '/' AND f.row_id < ? || '0' AND f.field = 'skio_sms_noted_at' AND f.agent_id IS NOT c.node`,
    ).all(storeId, storeId, storeId) as Array<{ eventKey: string; who: string }>;
    return new Map(rows.map((r) => [r.eventKey, r.who]));
  }

  /** Changes what is given of one trigger; creates the row if the catalog grew since. */
  updateTrigger(
    storeId: string,
    eventKey: string,
    change: { enabled?: boolean; settings?: object; skioSmsAlso?: boolean },
    defaults: { settings: object },
  ): void {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      prepared(this.db, 
          `INSERT INTO triggers (store_id, event_key, enabled, settings_json, updated_at) VALUES (?, ?, 0, ?, ?)
           ON CONFLICT (store_id, event_key) DO NOTHING`,
        )
        .run(storeId, eventKey, JSON.stringify(defaults.settings), now);
      if (change.enabled !== undefined) {
        prepared(this.db, `UPDATE triggers SET enabled = ?, updated_at = ? WHERE store_id = ? AND event_key = ?`).run(change.enabled ? 1 : 0, now, storeId, eventKey);
      }
      if (change.settings !== undefined) {
        prepared(this.db, `UPDATE triggers SET settings_json = ?, updated_at = ? WHERE store_id = ? AND event_key = ?`).run(JSON.stringify(change.settings), now, storeId, eventKey);
      }
      if (change.skioSmsAlso !== undefined) {
        // The agent answered now (even the same answer again): the readiness check states it with this time.
        prepared(this.db, `UPDATE triggers SET skio_sms_also = ?, skio_sms_noted_at = ?, updated_at = ? WHERE store_id = ? AND event_key = ?`).run(change.skioSmsAlso ? 1 : 0, now, now, storeId, eventKey);
      }
    })();
  }

  setTestUser(storeId: string, phone: string, subscriberId: string | null, status: TestUserStatus | null): void {
    prepared(this.db, 
        `UPDATE stores SET test_phone = ?, test_subscriber_id = ?, test_user_status = ?, test_user_checked_at = ?, updated_at = ? WHERE id = ?`,
      )
      .run(phone, subscriberId, status, status === null ? null : new Date().toISOString(), new Date().toISOString(), storeId);
  }

  setSetupStep(storeId: string, step: SetupStep): void {
    prepared(this.db, `UPDATE stores SET setup_step = ?, updated_at = ? WHERE id = ?`).run(step, new Date().toISOString(), storeId);
  }

  setArchived(storeId: string, archived: boolean): void {
    const now = new Date().toISOString();
    prepared(this.db, `UPDATE stores SET archived_at = ?, updated_at = ? WHERE id = ?`).run(archived ? now : null, now, storeId);
  }

  setKeyword(storeId: string, keyword: string): void {
    prepared(this.db, `UPDATE stores SET keyword = ?, updated_at = ? WHERE id = ?`).run(keyword, new Date().toISOString(), storeId);
  }

  /** A rotated key replaces the old one; the store's history stays. */
  replaceCredential(storeId: string, c: Omit<CredentialRow, 'storeId' | 'status' | 'checkedAt'>): void {
    prepared(this.db, 
        `UPDATE credentials SET kind = ?, scheme = ?, ciphertext = ?, mask = ?, fingerprint = ?, validated_at = ?, checked_at = ?, status = 'valid'
         WHERE store_id = ?`,
      )
      .run(c.kind, c.scheme, c.ciphertext, c.mask, c.fingerprint, c.validatedAt, c.validatedAt, storeId);
  }

  setCredentialStatus(storeId: string, status: KeyStatus): void {
    prepared(this.db, `UPDATE credentials SET status = ?, checked_at = ? WHERE store_id = ?`).run(status, new Date().toISOString(), storeId);
  }

  /** A key saved unchecked was accepted: record whose shop it is, and that it is valid now. */
  markKeyAccepted(storeId: string, shopId: string, shopName: string): void {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      prepared(this.db, `UPDATE stores SET postscript_shop_id = ?, postscript_shop_name = ?, updated_at = ? WHERE id = ?`).run(shopId, shopName, now, storeId);
      prepared(this.db, `UPDATE credentials SET status = 'valid', validated_at = ?, checked_at = ? WHERE store_id = ?`).run(now, now, storeId);
    })();
  }

  getState<T>(key: string): T | null {
    const row = prepared(this.db, `SELECT value_json AS v FROM app_state WHERE key = ?`).get(key) as { v: string } | undefined;
    return row === undefined ? null : (JSON.parse(row.v) as T);
  }

  setState(key: string, value: unknown): void {
    prepared(this.db, `INSERT INTO app_state (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`)
      .run(key, JSON.stringify(value), new Date().toISOString());
  }

  deleteState(key: string): void {
    prepared(this.db, `DELETE FROM app_state WHERE key = ?`).run(key);
  }

  getDelivery(id: number): DeliveryRow | undefined {
    const raw = prepared(this.db, `${DELIVERY_SELECT} WHERE d.id = ?`).get(id) as RawDelivery | undefined;
    return raw === undefined ? undefined : toDelivery(raw);
  }

}
