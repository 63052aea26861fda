/**
 * What SQLite's check found damaged, in the agent's terms, and the repair when only indexes are:
 * an index holds nothing its table does not, so it is rebuilt from the tables instead of restoring
 * a backup (which loses whatever came after it). REINDEX itself cannot do it: dropping a damaged
 * index walks its pages and fails on the damage, and so does VACUUM (it copies indexes page by
 * page). So the database is rebuilt into a new file from its tables' rows (read without any index),
 * its indexes made afresh, checked, and only then copied over the live file.
 */
import { openSqlite } from './sqlite';
import fs from 'node:fs';
import type { Db } from './database';
import { quickCheck } from './backups';

export interface Damage {
  /** Damaged objects by name, with the table each belongs to. */
  objects: Array<{ name: string; type: string; table: string }>;
  /** Lines the check gave that name no object (the file's structure itself). */
  unplaced: string[];
  /** Only indexes are damaged: rebuilding them loses nothing. */
  indexesOnly: boolean;
}

/** Reads quick_check's lines ("Tree 10 page 101 …", "row 5 missing from index x", "wrong # of entries in index x"). */
export function classifyDamage(db: Db, problems: readonly string[]): Damage {
  let schema: Array<{ type: string; name: string; table: string; rootpage: number }> = [];
  try {
    schema = db.prepare('SELECT type, name, tbl_name AS "table", rootpage FROM sqlite_master').all() as typeof schema;
  } catch {
    // The schema itself is unreadable: nothing can be placed.
  }
  const found = new Map<string, { name: string; type: string; table: string }>();
  const unplaced: string[] = [];
  for (const raw of problems) {
    for (const line of raw.split('\n')) {
      if (line.trim() === '' || line.startsWith('*** in database')) continue;
      const tree = /^Tree (\d+) page/.exec(line);
      const index = /(?:missing from index|entries in index|entry in UNIQUE index) (\S+)/.exec(line);
      const obj = tree !== null ? schema.find((s) => s.rootpage === Number(tree[1])) : index !== null ? schema.find((s) => s.name === index[1]) : undefined;
      if (obj === undefined) unplaced.push(line);
      else found.set(obj.name, { name: obj.name, type: obj.type, table: obj.table });
    }
  }
  const objects = [...found.values()];
  return { objects, unplaced, indexesOnly: unplaced.length === 0 && objects.length > 0 && objects.every((o) => o.type === 'index') };
}

/** What a table holds, as the agent knows it. */
export function describeTable(table: string): string {
  if (table.startsWith('deliveries_fts')) return 'the delivery log’s search';
  if (table.startsWith('sync_') || table.startsWith('team_')) return 'what team mode keeps';
  const words: Record<string, string> = {
    stores: 'the stores',
    credentials: 'the stores’ API keys',
    triggers: 'the stores’ events and their settings',
    deliveries: 'the delivery log',
    delivery_summary: 'the delivery log’s summary per event',
    outbox: 'the outbox (sends waiting and sent)',
    batches: 'the batches',
    inbound_webhooks: 'the received webhooks',
    processed_webhook_events: 'the received webhooks',
    webhook_tokens: 'the SKIP tester’s webhook settings',
    webhook_registrations: 'the SKIP tester’s webhook settings',
    webhook_secrets: 'the SKIP tester’s webhook settings',
    test_subscriptions: 'the SKIP tester’s test subscriptions',
    store_health: 'the health history',
    settings: 'the settings',
    setting_secrets: 'the settings',
    app_state: 'the app’s own state',
  };
  return words[table] ?? `the table ${table}`;
}

/** "the delivery log and the stores": what the damage touches, each once. */
export function describeDamage(damage: Damage): string {
  const parts = [...new Set(damage.objects.map((o) => describeTable(o.table)))];
  if (damage.unplaced.length > 0 || parts.length === 0) parts.push('the file’s own structure');
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Writes a copy of the live database to `target` rebuilt from its tables: tables created and their
 * rows copied (`LIMIT -1` keeps SQLite from copying index pages along; generated columns left to compute), then indexes, external
 * content full-text indexes (rebuilt from their table), views and triggers. Throws when a table
 * cannot be read or the copy fails SQLite's check.
 */
export function rebuildFromTables(liveFile: string, target: string): void {
  fs.rmSync(target, { force: true });
  fs.closeSync(fs.openSync(target, 'wx', 0o600));
  const out = openSqlite(target);
  try {
    // Tables are copied one after another: a row may arrive before the one it refers to.
    out.pragma('foreign_keys = OFF');
    out.prepare('ATTACH DATABASE ? AS old').run(liveFile);
    const schema = out.prepare(`SELECT type, name, sql FROM old.sqlite_master WHERE sql IS NOT NULL ORDER BY rowid`).all() as Array<{ type: string; name: string; sql: string }>;
    const virtual = schema.filter((s) => s.type === 'table' && /^CREATE VIRTUAL TABLE/i.test(s.sql));
    const shadow = (name: string): boolean => virtual.some((v) => name.startsWith(`${v.name}_`));
    const tables = schema.filter((s) => s.type === 'table' && !virtual.includes(s) && !shadow(s.name) && !s.name.startsWith('sqlite_'));
    out.transaction(() => {
      for (const t of tables) out.exec(t.sql);
      for (const t of tables) {
        // Generated columns are computed, not copied.
        const cols = (out.prepare(`SELECT name FROM pragma_table_xinfo(?, 'old') WHERE hidden = 0`).all(t.name) as Array<{ name: string }>).map((c) => quote(c.name)).join(', ');
        out.exec(`INSERT INTO main.${quote(t.name)} (${cols}) SELECT ${cols} FROM old.${quote(t.name)} LIMIT -1`);
      }
      if (out.prepare(`SELECT 1 FROM old.sqlite_master WHERE name = 'sqlite_sequence'`).get() !== undefined) {
        out.exec('DELETE FROM main.sqlite_sequence; INSERT INTO main.sqlite_sequence SELECT * FROM old.sqlite_sequence LIMIT -1');
      }
      for (const s of schema.filter((x) => x.type === 'index')) out.exec(s.sql);
      for (const v of virtual) {
        out.exec(v.sql);
        // An external-content full-text index is derived from its table, like any index.
        if (!/content\s*=/i.test(v.sql)) throw new Error(`The full-text table ${v.name} keeps its own content; it cannot be rebuilt.`);
        out.prepare(`INSERT INTO main.${quote(v.name)} (${quote(v.name)}) VALUES ('rebuild')`).run();
      }
      for (const s of schema.filter((x) => x.type === 'view' || x.type === 'trigger')) out.exec(s.sql);
      out.pragma(`user_version = ${Number(out.prepare('PRAGMA old.user_version').pluck().get())}`);
    })();
    out.exec('DETACH DATABASE old');
    const problems = quickCheck(out);
    if (problems.length > 0) throw new Error(`The rebuilt copy does not pass SQLite’s check (${problems[0]}).`);
  } catch (err) {
    out.close();
    fs.rmSync(target, { force: true });
    throw err;
  }
  out.close();
}
