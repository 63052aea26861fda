/** Damage as a bad disk does it: one page of a closed SQLite file overwritten with garbage. */
import Database from 'better-sqlite3';
import fs from 'node:fs';

/** Overwrites page `page` (1-based, the file's own page size) of a closed database. */
export function overwritePage(file: string, page: number): void {
  const db = new Database(file, { readonly: true });
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.alloc(size, 0xa5), 0, size, (page - 1) * size);
  } finally {
    fs.closeSync(fd);
  }
}

/** The first page of a table or index, to aim the damage at it. */
export function rootPage(file: string, name: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(name) as { rootpage: number }).rootpage;
  } finally {
    db.close();
  }
}
