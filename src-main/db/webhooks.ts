/** SQL for SKIP: signing tokens, test subscriptions, the inbound log, processed events. */
import type { Db } from './database';
import { prepared } from './prepared';

export interface TestSubscriptionRow {
  storeId: string;
  phone: string;
  nextBillingDate: string;
  intervalDays: number;
  skippedCount: number;
  updatedAt: string;
}

export type InboundAction = 'skipped' | 'ignored' | 'duplicate' | 'rejected';
export type SignatureVerdict = 'valid' | 'missing' | 'wrong' | 'not_checked';

export interface InboundRow {
  id: number;
  receivedAt: string;
  storeId: string | null;
  event: string | null;
  eventDataId: string | null;
  signature: SignatureVerdict;
  status: number;
  action: InboundAction;
  reason: string;
  fromNumber: string | null;
  message: string | null;
  beforeDate: string | null;
  afterDate: string | null;
}

export interface RegistrationRow {
  id: string;
  storeId: string;
  callbackUrl: string;
  event: string;
  createdAt: string;
}

/** What routing a delivery needs of a store: a light lookup for the hot path. */
export interface RoutingRow {
  id: string;
  skipWord: string;
  testPhone: string | null;
  testSubscriberId: string | null;
}

export class WebhookRepository {
  constructor(private readonly db: Db) {}

  routeById(storeId: string): RoutingRow | undefined {
    return prepared(this.db, `SELECT id, skip_word AS skipWord, test_phone AS testPhone, test_subscriber_id AS testSubscriberId FROM stores WHERE id = ?`).get(storeId) as RoutingRow | undefined;
  }

  routeByShopId(shopId: string): RoutingRow | undefined {
    return prepared(
      this.db,
      `SELECT id, skip_word AS skipWord, test_phone AS testPhone, test_subscriber_id AS testSubscriberId FROM stores
       WHERE postscript_shop_id = ? ORDER BY archived_at IS NOT NULL, created_at LIMIT 1`,
    ).get(shopId) as RoutingRow | undefined;
  }

  /** Is this event sent to Postscript for the store, and with what settings? */
  trigger(storeId: string, eventKey: string): { enabled: boolean; settings: { daysBefore?: number } } | undefined {
    const row = prepared(this.db, `SELECT enabled, settings_json AS s FROM triggers WHERE store_id = ? AND event_key = ?`).get(storeId, eventKey) as { enabled: number; s: string } | undefined;
    return row === undefined ? undefined : { enabled: row.enabled === 1, settings: JSON.parse(row.s) as { daysBefore?: number } };
  }

  saveToken(storeId: string, scheme: string, ciphertext: Buffer, mask: string): void {
    prepared(this.db, 
        `INSERT INTO webhook_tokens (store_id, scheme, ciphertext, mask, fetched_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (store_id) DO UPDATE SET scheme = excluded.scheme, ciphertext = excluded.ciphertext, mask = excluded.mask, fetched_at = excluded.fetched_at`,
      )
      .run(storeId, scheme, ciphertext, mask, new Date().toISOString());
  }

  getToken(storeId: string): { scheme: string; ciphertext: Buffer; mask: string; fetchedAt: string } | undefined {
    return prepared(this.db, `SELECT scheme, ciphertext, mask, fetched_at AS fetchedAt FROM webhook_tokens WHERE store_id = ?`).get(storeId) as
      | { scheme: string; ciphertext: Buffer; mask: string; fetchedAt: string }
      | undefined;
  }

  saveSecret(storeId: string, scheme: string, ciphertext: Buffer): void {
    prepared(this.db, `INSERT INTO webhook_secrets (store_id, scheme, ciphertext, created_at) VALUES (?, ?, ?, ?)`).run(storeId, scheme, ciphertext, new Date().toISOString());
  }

  getSecret(storeId: string): { scheme: string; ciphertext: Buffer; createdAt: string } | undefined {
    return prepared(this.db, `SELECT scheme, ciphertext, created_at AS createdAt FROM webhook_secrets WHERE store_id = ?`).get(storeId) as
      | { scheme: string; ciphertext: Buffer; createdAt: string }
      | undefined;
  }

  deleteSecret(storeId: string): void {
    prepared(this.db, `DELETE FROM webhook_secrets WHERE store_id = ?`).run(storeId);
  }

  getSubscription(storeId: string): TestSubscriptionRow | undefined {
    return prepared(this.db, 
        `SELECT store_id AS storeId, phone, next_billing_date AS nextBillingDate, interval_days AS intervalDays, skipped_count AS skippedCount, updated_at AS updatedAt
         FROM test_subscriptions WHERE store_id = ?`,
      )
      .get(storeId) as TestSubscriptionRow | undefined;
  }

  saveSubscription(storeId: string, phone: string, nextBillingDate: string, intervalDays: number): void {
    prepared(this.db, 
        `INSERT INTO test_subscriptions (store_id, phone, next_billing_date, interval_days, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (store_id) DO UPDATE SET phone = excluded.phone, next_billing_date = excluded.next_billing_date,
           interval_days = excluded.interval_days, updated_at = excluded.updated_at`,
      )
      .run(storeId, phone, nextBillingDate, intervalDays, new Date().toISOString());
  }

  /** Moves the next billing date; counts the skip. */
  skipTo(storeId: string, nextBillingDate: string): void {
    prepared(this.db, `UPDATE test_subscriptions SET next_billing_date = ?, skipped_count = skipped_count + 1, updated_at = ? WHERE store_id = ?`)
      .run(nextBillingDate, new Date().toISOString(), storeId);
  }

  /** Records that an event was acted on; false when it already was (a redelivery). */
  markProcessed(storeId: string, eventDataId: string): boolean {
    return (
      prepared(this.db, `INSERT INTO processed_webhook_events (store_id, event_data_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`)
        .run(storeId, eventDataId, new Date().toISOString()).changes === 1
    );
  }

  logInbound(row: Omit<InboundRow, 'id' | 'receivedAt'>): number {
    return Number(
      prepared(this.db, 
          `INSERT INTO inbound_webhooks (received_at, store_id, event, event_data_id, signature, status, action, reason, from_number, message, before_date, after_date)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(new Date().toISOString(), row.storeId, row.event, row.eventDataId, row.signature, row.status, row.action, row.reason, row.fromNumber, row.message, row.beforeDate, row.afterDate)
        .lastInsertRowid,
    );
  }

  listInbound(storeId: string | undefined, beforeId: number | undefined, limit: number): InboundRow[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (storeId !== undefined) {
      where.push('store_id = ?');
      params.push(storeId);
    }
    if (beforeId !== undefined) {
      where.push('id < ?');
      params.push(beforeId);
    }
    return prepared(this.db, 
        `SELECT id, received_at AS receivedAt, store_id AS storeId, event, event_data_id AS eventDataId, signature, status, action, reason,
                from_number AS fromNumber, message, before_date AS beforeDate, after_date AS afterDate
         FROM inbound_webhooks ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params, limit) as InboundRow[];
  }

  countSkips(storeId: string): number {
    return (prepared(this.db, `SELECT COUNT(*) AS n FROM inbound_webhooks WHERE store_id = ? AND action = 'skipped'`).get(storeId) as { n: number }).n;
  }

  addRegistration(r: Omit<RegistrationRow, 'createdAt'>): void {
    prepared(this.db, `INSERT INTO webhook_registrations (id, store_id, callback_url, event, created_at) VALUES (?, ?, ?, ?, ?)`).run(r.id, r.storeId, r.callbackUrl, r.event, new Date().toISOString());
  }

  removeRegistration(id: string): void {
    prepared(this.db, `DELETE FROM webhook_registrations WHERE id = ?`).run(id);
  }

  registrations(storeId: string): RegistrationRow[] {
    return prepared(this.db, `SELECT id, store_id AS storeId, callback_url AS callbackUrl, event, created_at AS createdAt FROM webhook_registrations WHERE store_id = ? ORDER BY created_at`)
      .all(storeId) as RegistrationRow[];
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
