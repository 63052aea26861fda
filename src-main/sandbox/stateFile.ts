/**
 * The Sandbox's state on disk: a SQLite file of its own (not the app's database: the standalone
 * Sandbox uses it too, and a reset must not touch the app's data). Each change is written in its
 * own transaction before the Sandbox answers the request that made it, so a kill -9 a moment after
 * a store was created still finds its shop and key at the next start, and an event Postscript
 * "received" (a 202) is in the file with its answer. A shop is kept as one JSON row: its keys,
 * keywords, subscribers and webhooks change together and are read together.
 *
 * Older versions kept a JSON file (`sandbox-state.json`), rewritten whole a second after changes;
 * it is imported once, in one transaction, then removed.
 */
import type Database from 'better-sqlite3';
import { openSqlite } from '../db/sqlite';
import fs from 'node:fs';
import path from 'node:path';
import type { EventTypeRecord, ReceivedEvent, SandboxData, SandboxShop } from './stateTypes';

type Db = Database.Database;

/** The app's Sandbox keeps its state here, in the data directory. */
export const SANDBOX_STATE_FILE = 'sandbox.sqlite3';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS shops (id TEXT PRIMARY KEY, json TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS partners (key TEXT PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    shop_id TEXT NOT NULL,
    type TEXT NOT NULL,
    received_at TEXT NOT NULL,
    body_json TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS event_types (
    shop_id TEXT NOT NULL,
    type TEXT NOT NULL,
    count INTEGER NOT NULL,
    last_received_at TEXT NOT NULL,
    PRIMARY KEY (shop_id, type)
  );
`;

/** Is this file the old JSON state (its first byte a `{`)? */
function isJsonFile(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const b = Buffer.alloc(1);
      return fs.readSync(fd, b, 0, 1, 0) === 1 && b[0] === 0x7b;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

function readLegacy(file: string): SandboxData | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxData;
    if (parsed.version === 1 && Array.isArray(parsed.shops)) return parsed;
  } catch {
    // Missing or unreadable: nothing to import (the Sandbox holds nothing irreplaceable).
  }
  return null;
}

export class SandboxStateFile {
  private readonly db: Db;
  private sinceTrim = 0;

  /**
   * Opens (creating it 0600) the state file. `legacyJson`: an older JSON state to import once when
   * this file holds no shops yet. A JSON file given as `file` itself (the standalone Sandbox's
   * `--state`) is moved aside to `<file>.json` and imported the same way.
   */
  constructor(
    readonly file: string,
    options: { legacyJson?: string; nativeBinding?: string } = {},
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    let legacy = options.legacyJson ?? null;
    if (isJsonFile(file)) {
      legacy = `${file}.json`;
      fs.renameSync(file, legacy);
    }
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    this.db = openSqlite(file, {}, options.nativeBinding);
    try {
      this.db.pragma('journal_mode = WAL');
      // As the app's database: a commit survives a killed process (the WAL is in the OS's cache);
      // FULL (an fsync per received event) would slow a large batch for a power cut's sake.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
      if (legacy !== null) this.importLegacy(legacy);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** For tests: the connection (e.g. to cap its size and play a full disk). */
  get connection(): Db {
    return this.db;
  }

  private importLegacy(jsonFile: string): void {
    const data = fs.existsSync(jsonFile) ? readLegacy(jsonFile) : null;
    if (data !== null && this.isEmpty()) this.replaceAll(data);
    // Imported (or nothing worth importing): the JSON is not read again.
    fs.rmSync(jsonFile, { force: true });
  }

  isEmpty(): boolean {
    return this.db.prepare('SELECT 1 FROM shops LIMIT 1').get() === undefined;
  }

  /** Everything, with the newest `maxEvents` events (oldest first). */
  load(maxEvents: number): SandboxData {
    const shops = (this.db.prepare('SELECT json FROM shops ORDER BY rowid').all() as Array<{ json: string }>).map((r) => JSON.parse(r.json) as SandboxShop);
    const partners = this.db.prepare('SELECT key, name FROM partners ORDER BY rowid').all() as Array<{ key: string; name: string }>;
    const events = (
      this.db
        .prepare('SELECT event_id AS eventId, shop_id AS shopId, type, received_at AS receivedAt, body_json AS body FROM events ORDER BY seq DESC LIMIT ?')
        .all(maxEvents) as Array<Omit<ReceivedEvent, 'body'> & { body: string }>
    )
      .reverse()
      .map((e) => ({ ...e, body: JSON.parse(e.body) as Record<string, unknown> }));
    const eventTypes: Record<string, Record<string, EventTypeRecord>> = {};
    for (const t of this.db.prepare('SELECT shop_id AS shopId, type, count, last_received_at AS lastReceivedAt FROM event_types').all() as Array<{
      shopId: string;
      type: string;
      count: number;
      lastReceivedAt: string;
    }>) {
      (eventTypes[t.shopId] ??= {})[t.type] = { count: t.count, lastReceivedAt: t.lastReceivedAt };
    }
    return { version: 1, shops, partners, events, eventTypes };
  }

  /** One shop as it is now (created, or a key, webhook or subscriber changed). */
  saveShop(shop: SandboxShop): void {
    this.db.prepare('INSERT INTO shops (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json').run(shop.id, JSON.stringify(shop));
  }

  /** A received event and its shop's count of that type, together; the oldest beyond `maxEvents` go now and then. */
  saveEvent(ev: ReceivedEvent, rec: EventTypeRecord, maxEvents: number): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO events (event_id, shop_id, type, received_at, body_json) VALUES (?, ?, ?, ?, ?)')
        .run(ev.eventId, ev.shopId, ev.type, ev.receivedAt, JSON.stringify(ev.body));
      this.db
        .prepare(
          `INSERT INTO event_types (shop_id, type, count, last_received_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (shop_id, type) DO UPDATE SET count = excluded.count, last_received_at = excluded.last_received_at`,
        )
        .run(ev.shopId, ev.type, rec.count, rec.lastReceivedAt);
      if (++this.sinceTrim >= 500) {
        this.sinceTrim = 0;
        this.db.prepare('DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - ?').run(maxEvents);
      }
    })();
  }

  /** Replaces everything (a reset, an import, a save after writes failed). */
  replaceAll(data: SandboxData): void {
    this.db.transaction(() => {
      this.db.exec('DELETE FROM shops; DELETE FROM partners; DELETE FROM events; DELETE FROM event_types;');
      const shop = this.db.prepare('INSERT INTO shops (id, json) VALUES (?, ?)');
      for (const s of data.shops) shop.run(s.id, JSON.stringify(s));
      const partner = this.db.prepare('INSERT INTO partners (key, name) VALUES (?, ?)');
      for (const p of data.partners) partner.run(p.key, p.name);
      const ev = this.db.prepare('INSERT INTO events (event_id, shop_id, type, received_at, body_json) VALUES (?, ?, ?, ?, ?)');
      for (const e of data.events) ev.run(e.eventId, e.shopId, e.type, e.receivedAt, JSON.stringify(e.body));
      const type = this.db.prepare('INSERT INTO event_types (shop_id, type, count, last_received_at) VALUES (?, ?, ?, ?)');
      for (const [shopId, types] of Object.entries(data.eventTypes)) {
        for (const [t, rec] of Object.entries(types)) type.run(shopId, t, rec.count, rec.lastReceivedAt);
      }
    })();
  }

  close(): void {
    this.db.close();
  }
}
