/**
 * Before a backup replaces the database: what the backup lacks that the damaged file still shows
 * (stores, settings, attempts and sends made after the backup's time), read from the damaged file
 * wherever it can still be read, kept as a file next to the backups, and said to the agent. Sends
 * the damaged file shows after the backup are carried into the restored database as "uncertain",
 * each with an attempt in the log: they may have reached Postscript, which does not deduplicate,
 * so the agent checks them rather than the app sending them again (or forgetting them).
 */
import { openSqlite } from './sqlite';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './database';
import { markUncertainWithAttempts, type AccountEndpoints } from './uncertainAttempts';

interface LostSend {
  storeId: string;
  storeName: string | null;
  eventKey: string;
  batchId: string | null;
  bodyJson: string;
  externalId: string;
  state: string;
  attempts: number;
  createdMs: number;
}

export interface Lacking {
  stores: Array<{ id: string; name: string; shopDomain: string }>;
  settings: string[];
  /** Attempts in the damaged file's log after the backup's newest one. */
  attempts: { count: number; newest: Array<{ externalId: string; storeName: string | null; eventKey: string; outcome: string; startedAt: string }> };
  sends: LostSend[];
  /** What could not be read from the damaged file, in words. */
  unreadable: string[];
}

const LIST_AT_MOST = 200;

function open(file: string): Db | null {
  try {
    const db = openSqlite(file, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get(); // "file is not a database" shows here
    return db;
  } catch {
    return null;
  }
}

/** Compares the damaged file with the backup. `damagedFile` may be unreadable as a whole or in parts. */
export function whatBackupLacks(backupFile: string, damagedFile: string): Lacking {
  const lacking: Lacking = { stores: [], settings: [], attempts: { count: 0, newest: [] }, sends: [], unreadable: [] };
  const damaged = open(damagedFile);
  const backup = open(backupFile);
  if (backup === null) throw new Error(`The backup ${backupFile} cannot be read.`);
  if (damaged === null) {
    backup.close();
    lacking.unreadable.push('the whole damaged file (SQLite cannot open it): anything made after the backup may be missing');
    return lacking;
  }
  const tryRead = <T>(what: string, fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch {
      lacking.unreadable.push(what);
      return fallback;
    }
  };
  try {
    const backupStores = new Set((backup.prepare('SELECT id FROM stores').all() as Array<{ id: string }>).map((r) => r.id));
    lacking.stores = tryRead('the stores', () => damaged.prepare('SELECT id, name, shop_domain AS shopDomain FROM stores ORDER BY name').all() as Lacking['stores'], []).filter(
      (s) => !backupStores.has(s.id),
    );
    const backupSettings = new Map((backup.prepare('SELECT key, value_json AS v FROM settings').all() as Array<{ key: string; v: string }>).map((r) => [r.key, r.v]));
    lacking.settings = tryRead('the settings', () => damaged.prepare('SELECT key, value_json AS v FROM settings ORDER BY key').all() as Array<{ key: string; v: string }>, [])
      .filter((r) => backupSettings.get(r.key) !== r.v)
      .map((r) => r.key);
    const lastId = (backup.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM deliveries').get() as { n: number }).n;
    lacking.attempts = tryRead(
      'the delivery log',
      () => ({
        count: (damaged.prepare('SELECT COUNT(*) AS n FROM deliveries WHERE id > ?').get(lastId) as { n: number }).n,
        newest: damaged
          .prepare(
            `SELECT d.external_id AS externalId, s.name AS storeName, d.event_key AS eventKey, d.outcome, d.started_at AS startedAt
             FROM deliveries d LEFT JOIN stores s ON s.id = d.store_id WHERE d.id > ? ORDER BY d.id DESC LIMIT ?`,
          )
          .all(lastId, LIST_AT_MOST) as Lacking['attempts']['newest'],
      }),
      { count: 0, newest: [] },
    );
    const backupSends = new Set((backup.prepare('SELECT external_id AS e FROM outbox').all() as Array<{ e: string }>).map((r) => r.e));
    lacking.sends = tryRead(
      'the outbox',
      () =>
        damaged
          .prepare(
            `SELECT o.store_id AS storeId, s.name AS storeName, o.event_key AS eventKey, o.batch_id AS batchId, o.body_json AS bodyJson,
                    o.external_id AS externalId, o.state, o.attempts, o.created_ms AS createdMs
             FROM outbox o LEFT JOIN stores s ON s.id = o.store_id ORDER BY o.id`,
          )
          .all() as LostSend[],
      [],
    ).filter((o) => !backupSends.has(o.externalId));
  } finally {
    damaged.close();
    backup.close();
  }
  return lacking;
}

/** The report kept next to the backups, for the agent and for support. */
export function formatLacking(l: Lacking, info: { backup: string; backupAt: string; damagedFile: string; keptAt: string | null; carried: number }): string {
  const lines = [
    `Restore of ${info.backup} (taken ${info.backupAt}) over ${info.damagedFile}, ${new Date().toISOString()}.`,
    info.keptAt === null ? '' : `The damaged file is kept at ${info.keptAt}.`,
    '',
    'What the backup lacks, as far as the damaged file could still be read:',
    '',
    `Stores (${l.stores.length}): ${l.stores.length === 0 ? 'none' : ''}`,
    ...l.stores.map((s) => `  - ${s.name} (${s.shopDomain}): set it up again`),
    `Settings changed since (${l.settings.length}): ${l.settings.length === 0 ? 'none' : l.settings.join(', ')}`,
    `Attempts in the delivery log after the backup (${l.attempts.count})${l.attempts.count > l.attempts.newest.length ? `, the newest ${l.attempts.newest.length}` : ''}:${l.attempts.count === 0 ? ' none' : ''}`,
    ...l.attempts.newest.map((a) => `  - ${a.startedAt} ${a.storeName ?? '(a store the backup lacks)'} ${a.eventKey} ${a.outcome} external_id ${a.externalId}`),
    `Sends queued after the backup (${l.sends.length}); ${info.carried} carried into the restored log as "uncertain" (check Postscript before resending), the rest belong to stores the backup lacks:${l.sends.length === 0 ? ' none' : ''}`,
    ...l.sends.map((o) => `  - ${new Date(o.createdMs).toISOString()} ${o.storeName ?? o.storeId} ${o.eventKey} (${o.state} in the damaged file) external_id ${o.externalId}`),
    l.unreadable.length === 0 ? '' : `Could not be read from the damaged file: ${l.unreadable.join('; ')}.`,
  ];
  return `${lines.filter((x, i, a) => !(x === '' && a[i - 1] === '')).join('\n')}\n`;
}

/** "1 store, 2 settings, 5 attempts and 3 sends": the report's gist for the agent. */
export function summarizeLacking(l: Lacking): string {
  const n = (k: number, one: string, many: string): string => `${k} ${k === 1 ? one : many}`;
  const parts = [n(l.stores.length, 'store', 'stores'), n(l.settings.length, 'setting', 'settings'), n(l.attempts.count, 'attempt', 'attempts'), n(l.sends.length, 'send', 'sends')];
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}${l.unreadable.length > 0 ? ` (some of the damaged file could not be read: ${l.unreadable.join('; ')})` : ''}`;
}

/** Why a send made after the backup is uncertain in the restored log. */
export function carriedMessage(state: string): string {
  return `Restored from a backup taken before this send was made (the damaged database showed it ${state.replace('_', ' ')}): it may have reached Postscript. Check Postscript before resending it.`;
}

/** Writes the report 0600 in the backups folder; returns its path. */
export function keepReport(dir: string, text: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `restore-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}.txt`);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/**
 * Into the restored database: the sends the damaged file shows after the backup, for stores the
 * backup has, as "uncertain" items each with an attempt in the log saying why. Returns how many.
 */
export function carryOverSends(db: Db, sends: readonly LostSend[], message: (state: string) => string, endpoints: AccountEndpoints): number {
  let carried = 0;
  db.transaction(() => {
    const storeExists = db.prepare('SELECT 1 FROM stores WHERE id = ?');
    const batchExists = db.prepare('SELECT 1 FROM batches WHERE id = ?');
    const insert = db.prepare(
      `INSERT INTO outbox (store_id, event_key, batch_id, body_json, external_id, state, attempts, next_attempt_ms, created_ms)
       VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
    );
    for (const s of sends) {
      if (storeExists.get(s.storeId) === undefined) continue;
      const batchId = s.batchId !== null && batchExists.get(s.batchId) !== undefined ? s.batchId : null;
      const id = Number(insert.run(s.storeId, s.eventKey, batchId, s.bodyJson, s.externalId, Math.max(0, s.attempts - 1), s.createdMs, s.createdMs).lastInsertRowid);
      markUncertainWithAttempts(db, `o.id = ${id}`, message(s.state), endpoints);
      carried++;
    }
  })();
  return carried;
}
