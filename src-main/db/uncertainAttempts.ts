/**
 * Turning outbox items "uncertain" together with an attempt row in the delivery log, in one
 * transaction. Sends cut off by a crash (in flight at start-up) and sends a restored backup still
 * showed as waiting may have reached Postscript; the agent checks them by hand from the log's
 * "uncertain" filter, its exports and its resend, so each needs a row there, not only a state.
 */
import type { Db } from './database';
import { prepared } from './prepared';
import { phoneOf } from './store';

/** Where each account's sends go, for the attempt's URL when the item has no earlier attempt to copy it from. */
export interface AccountEndpoints {
  sandbox: string;
  live: string;
}

interface ItemForAttempt {
  id: number;
  storeId: string;
  eventKey: string;
  batchId: string | null;
  bodyJson: string;
  externalId: string;
  attempts: number;
  state: string;
  /** For an item in flight: when it was claimed (sent); otherwise when it was or is due. */
  nextAttemptMs: number;
  account: 'sandbox' | 'live';
  keyMask: string | null;
  lastUrl: string | null;
}

const SELECT = `
  SELECT o.id, o.store_id AS storeId, o.event_key AS eventKey, o.batch_id AS batchId, o.body_json AS bodyJson,
         o.external_id AS externalId, o.attempts, o.state, o.next_attempt_ms AS nextAttemptMs, s.account,
         c.mask AS keyMask,
         (SELECT d.request_url FROM deliveries d WHERE d.outbox_id = o.id ORDER BY d.id DESC LIMIT 1) AS lastUrl
  FROM outbox o JOIN stores s ON s.id = o.store_id LEFT JOIN credentials c ON c.store_id = o.store_id`;

function postscriptType(bodyJson: string, eventKey: string): string {
  try {
    const type = (JSON.parse(bodyJson) as { type?: unknown }).type;
    return typeof type === 'string' ? type : eventKey;
  } catch {
    return eventKey;
  }
}

/**
 * Marks the items matching `where` (SQL on `o`, e.g. `o.state = 'in_flight'`) uncertain with
 * `message`, each with one "uncertain" attempt in the log. Items `except` are left as they are.
 * Returns the items' ids. Runs in one transaction (nested in the caller's, when there is one).
 */
export function markUncertainWithAttempts(
  db: Db,
  where: string,
  message: string,
  endpoints: AccountEndpoints,
  except: ReadonlySet<number> = new Set(),
): number[] {
  return db.transaction(() => {
    const rows = (db.prepare(`${SELECT} WHERE ${where} ORDER BY o.id`).all() as ItemForAttempt[]).filter((r) => !except.has(r.id));
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    const insert = prepared(
      db,
      `INSERT INTO deliveries (store_id, event_key, postscript_type, external_id, attempt, outcome, request_method,
         request_url, request_headers_json, request_body, response_status, response_body, error_code, error_message,
         latency_ms, started_at, finished_at, outbox_id, batch_id, will_retry, phone)
       VALUES (?, ?, ?, ?, ?, 'uncertain', 'POST', ?, ?, ?, NULL, NULL, NULL, ?, NULL, ?, ?, ?, ?, 0, ?)`,
    );
    const mark = prepared(db, `UPDATE outbox SET state = 'uncertain', last_error = ?, finished_ms = ? WHERE id = ?`);
    for (const r of rows) {
      // The headers the send carried (the key masked as everywhere in the log).
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'PostscriptConsole/0.1', 'content-type': 'application/json' };
      if (r.keyMask !== null) headers.authorization = `Bearer ${r.keyMask}`;
      // In flight: it went out when it was claimed. Queued: it may have gone out after it was due.
      const startedMs = r.state === 'in_flight' ? r.nextAttemptMs : Math.min(now, Math.max(r.nextAttemptMs, 0));
      insert.run(
        r.storeId,
        r.eventKey,
        postscriptType(r.bodyJson, r.eventKey),
        r.externalId,
        r.state === 'in_flight' ? Math.max(1, r.attempts) : r.attempts + 1,
        r.lastUrl ?? `${endpoints[r.account]}/api/v2/events`,
        JSON.stringify(headers),
        r.bodyJson,
        message,
        new Date(startedMs).toISOString(),
        nowIso,
        r.id,
        r.batchId,
        phoneOf(r.bodyJson),
      );
      mark.run(message, now, r.id);
    }
    return rows.map((r) => r.id);
  })();
}
