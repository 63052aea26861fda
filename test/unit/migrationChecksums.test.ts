/**
 * Shipped migrations never change: two installs of the same version must end with the same schema,
 * and an existing data directory (or team database) is never re-migrated. Each migration's SQL is
 * pinned here by its SHA-256.
 *
 * Adding a migration: append ONE line to the matching list below, `'<version> <sha256 of its sql>'`
 * (the failure message prints the line to add). Never change an existing line: if a pinned line
 * fails, revert the edit to that migration and put the change in a new one.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src-main/db/database';
import { MIGRATIONS } from '../../src-main/db/migrations';
import { syncCaptureTriggersSql } from '../../src-main/db/syncCaptureSql';
import { PG_MIGRATIONS } from '../../src-main/team/pgMigrations';

const SQLITE_PINS = [
  '1 ffeed5b083c7be114f94838e7a265db78dd5523ce8e17b67d9b3e8640e82b38b',
  '2 92842dbb10eda4716e8066b05bdecd28e9f67ef166142f62f93c0939ca126d1f',
  '3 888c8982965dee4d0860b7445fa46af7e71751ba25016152688b5628f7c4be4c',
  '4 51d871d31479459a47ee5bd735f6c1d2f9313ce6ae4621a34f0150878f4707bd',
  '5 2257a5ff4d9bf4ff78d79cf2f9e1eef93455b188e2f0ec103ac1eb9984d72894',
  '6 2c579eaa6cba98ef910462de6965e85df56986e68bd4ce4c3ca53f7c0c7cc921',
  '7 a2bd8d693791d89f4731c1f078c4b8eff3cb4a3ce256a0f208412eb65d01bea0',
  '8 211d2619de7e85d4f677f3bc9644c1bcff478d5d10e3a5bd245e655816fe3ad1',
  '9 7133d7aba0876d744d8c30361e24fbfff6fd13330bfd830ec5279634872c60c5',
  '10 f919003fb845804213f16497a9a3004f11ab8fdc3a34620d596508e85dd1c6af',
  '11 067a425b9cf7400d6af50c563ad35e9348512826cd6354cf9eb7c8a7837790e8',
  '12 504ae1d72dcb067de906001dde8107b5e21269b7175d2eb86cc49785530dc242',
  '13 6edfed4152d436dccd534d5d4aa10122951dc811c80060b05d287213ea16b1fa',
  '14 9b10530ab9c7407d613a11a4c949d44e31fe21e84ef4b083b0772aa6a5071665',
];

const POSTGRES_PINS = [
  '1 0ae1566a13d09e63d6034c59db42c1b6c1f7ccfc616e297c81c3a404abfa5440',
  '2 785fa6d692abfa8dbf62d6ff99cb08a0a2517b5521709d554c35575b09937cc1',
  '3 c952c0a9ea44c9f9c0eda0562640b73c85e4b1765d23c521299699e3605de6f7',
];

interface Numbered {
  version: number;
  sql: string;
}

function checksumLines(migrations: readonly Numbered[]): string[] {
  return migrations.map((m) => `${m.version} ${crypto.createHash('sha256').update(m.sql).digest('hex')}`);
}

/** Lines that differ from the pins, each saying what to do, so the failure reads as instructions. */
function mismatches(migrations: readonly Numbered[], pins: readonly string[]): string[] {
  const actual = checksumLines(migrations);
  const out: string[] = [];
  actual.forEach((line, i) => {
    const pin = pins[i];
    if (pin === undefined) out.push(`migration ${line.split(' ')[0]} is not pinned: append '${line}'`);
    else if (pin !== line) out.push(`migration ${pin.split(' ')[0]} was edited (pinned '${pin}', now '${line}'): revert it and add a new migration`);
  });
  pins.slice(actual.length).forEach((pin) => out.push(`pinned migration ${pin.split(' ')[0]} is missing`));
  return out;
}

function captureTriggers(db: Db): Map<string, string> {
  const rows = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\' ORDER BY name`).all() as Array<{ name: string; sql: string }>;
  // Whitespace inside a statement does not change what it does; only the statement is compared.
  return new Map(rows.map((r) => [r.name, r.sql.replace(/\s+/g, ' ').trim()]));
}

describe('migration checksums', () => {
  it('every SQLite migration is pinned and none was edited', () => {
    expect(mismatches(MIGRATIONS, SQLITE_PINS)).toEqual([]);
  });

  it('every PostgreSQL (team database) migration is pinned and none was edited', () => {
    expect(mismatches(PG_MIGRATIONS, POSTGRES_PINS)).toEqual([]);
  });

  it('an edit of one space in a shipped migration is caught', () => {
    const edited = MIGRATIONS.map((m) => (m.version === 3 ? { ...m, sql: `${m.sql} ` } : m));
    expect(mismatches(edited, SQLITE_PINS)).toEqual([expect.stringMatching(/^migration 3 was edited/)]);
  });

  it('the sync capture triggers in the latest schema are the ones the live sync specification asks for', () => {
    // A synced column added to SYNC_ENTITIES (or APPEND_COLUMNS) fails this until a new migration
    // drops and recreates the triggers, so every install runs the same triggers.
    const db = openDatabase(':memory:');
    try {
      const migrated = captureTriggers(db);
      expect(migrated.size).toBeGreaterThan(0);
      for (const name of migrated.keys()) db.exec(`DROP TRIGGER ${name}`);
      db.exec(syncCaptureTriggersSql());
      expect(captureTriggers(db)).toEqual(migrated);
    } finally {
      db.close();
    }
  });
});
