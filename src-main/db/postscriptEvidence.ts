/**
 * SQL for what Postscript last said about each store: one row per store and subject (the key, the
 * shop's keyword list, the Test Event User, the webhook subscriptions), each with when it was said
 * and which path of the app asked. Readiness, the stores list's health and the needs-attention
 * count read only this, so they cannot disagree. Written by `postscript/evidence.ts` alone.
 */
import type { Db } from './database';
import { prepared } from './prepared';

export type EvidenceSubject = 'key' | 'keywords' | 'test_user' | 'webhooks';

/** Which path of the app asked Postscript (shown next to the evidence, so the agent can redo it). */
export type EvidenceSource = 'setup' | 'deferred_check' | 'check_health' | 'health_watch' | 'recheck' | 'key_rotation' | 'skip_setup' | 'earlier';

export interface KeySaid {
  /** Postscript accepted the key (GET /me answered), or refused it (401/403). */
  accepted: boolean;
  /** The mask of the key that was asked about: a key replaced since is not covered by this. */
  keyMask: string | null;
  shopName: string | null;
  /** Postscript's words when it refused. */
  message: string | null;
}
export interface KeywordsSaid {
  keywords: string[];
}
export interface TestUserSaid {
  phone: string;
  status: 'ok' | 'not_found' | 'no_transactional';
  subscriberId: string | null;
}
export interface WebhooksSaid {
  /** Subscriptions to shop.incoming_message that Postscript has. */
  callbackUrls: string[];
}

export interface Said<T> {
  at: string;
  source: EvidenceSource;
  value: T;
}

export interface StoreEvidence {
  key: Said<KeySaid> | null;
  keywords: Said<KeywordsSaid> | null;
  testUser: Said<TestUserSaid> | null;
  webhooks: Said<WebhooksSaid> | null;
}

export interface EvidenceWrite {
  key?: KeySaid;
  keywords?: KeywordsSaid;
  testUser?: TestUserSaid;
  webhooks?: WebhooksSaid;
}

const FIELD: Record<EvidenceSubject, keyof StoreEvidence> = { key: 'key', keywords: 'keywords', test_user: 'testUser', webhooks: 'webhooks' };
const SUBJECT: Record<keyof EvidenceWrite, EvidenceSubject> = { key: 'key', keywords: 'keywords', testUser: 'test_user', webhooks: 'webhooks' };

function empty(): StoreEvidence {
  return { key: null, keywords: null, testUser: null, webhooks: null };
}

export class EvidenceRepository {
  constructor(private readonly db: Db) {}

  /** Writes what was said, all subjects in one transaction; nothing for a store deleted meanwhile. */
  write(storeId: string, source: EvidenceSource, said: EvidenceWrite, at: string): void {
    const insert = prepared(
      this.db,
      `INSERT INTO postscript_evidence (store_id, subject, said_at, source, value_json)
       SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM stores WHERE id = ?)
       ON CONFLICT (store_id, subject) DO UPDATE SET said_at = excluded.said_at, source = excluded.source, value_json = excluded.value_json`,
    );
    for (const [field, value] of Object.entries(said) as Array<[keyof EvidenceWrite, unknown]>) {
      if (value !== undefined) insert.run(storeId, SUBJECT[field], at, source, JSON.stringify(value), storeId);
    }
  }

  of(storeId: string): StoreEvidence {
    return this.all(storeId).get(storeId) ?? empty();
  }

  /** Every store's evidence in one read (the stores list's health), or one store's. */
  all(storeId?: string): Map<string, StoreEvidence> {
    const rows = (
      storeId === undefined
        ? prepared(this.db, `SELECT store_id AS storeId, subject, said_at AS at, source, value_json AS v FROM postscript_evidence`).all()
        : prepared(this.db, `SELECT store_id AS storeId, subject, said_at AS at, source, value_json AS v FROM postscript_evidence WHERE store_id = ?`).all(storeId)
    ) as Array<{ storeId: string; subject: EvidenceSubject; at: string; source: EvidenceSource; v: string }>;
    const out = new Map<string, StoreEvidence>();
    for (const r of rows) {
      const ev = out.get(r.storeId) ?? empty();
      (ev as unknown as Record<string, Said<unknown>>)[FIELD[r.subject]] = { at: r.at, source: r.source, value: JSON.parse(r.v) as unknown };
      out.set(r.storeId, ev);
    }
    return out;
  }

  /** Runs reads and writes as one transaction (what was known before and after a write). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
