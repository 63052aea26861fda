/**
 * A damaged database whose tables are whole (only indexes damaged) is repaired in place: rebuilt
 * from its tables into a new file, checked, then copied over the live file through SQLite's backup
 * API, so the app's open connection reads the repaired content. The damaged file is kept in the
 * backups folder first, for support. Nothing is lost: an index holds nothing its table does not.
 */
import { openSqlite } from '../db/sqlite';
import fs from 'node:fs';
import type { Backups } from '../db/backups';
import { classifyDamage, describeDamage, rebuildFromTables, type Damage } from '../db/damage';
import type { Db } from '../db/database';

export type RepairOutcome = { repaired: true; what: string; keptAt: string | null } | { repaired: false; what: string; damage: Damage };

/** Repairs when only indexes are damaged; otherwise (or when the rebuild fails) says what is damaged, in words. */
export async function repairIfIndexesOnly(db: Db, dbFile: string, backups: Backups, problems: readonly string[]): Promise<RepairOutcome> {
  const damage = classifyDamage(db, problems);
  const what = describeDamage(damage);
  if (!damage.indexesOnly) return { repaired: false, what, damage };
  const rebuilt = `${dbFile}.rebuilt`;
  try {
    const keptAt = backups.keepDamaged(dbFile);
    rebuildFromTables(dbFile, rebuilt);
    const src = openSqlite(rebuilt, { readonly: true, fileMustExist: true });
    try {
      await src.backup(dbFile);
    } finally {
      src.close();
    }
    return { repaired: true, what, keptAt };
  } catch {
    // A table could not be read after all: a restore is the way, as for table damage.
    return { repaired: false, what, damage };
  } finally {
    fs.rmSync(rebuilt, { force: true });
  }
}
