/**
 * Every SQLite file the main process opens goes through `openSqlite`, so each one loads the native
 * binding built for this runtime. Electron's ABI is not Node's: its launcher (`scripts/electron.mjs`)
 * builds better-sqlite3 for Electron and names that build in `PSC_SQLITE_BINDING`. A file opened
 * with better-sqlite3's default binding inside Electron would fail to load (a backup check, a
 * restore report, an index repair), so no module calls `new Database` itself.
 */
import Database from 'better-sqlite3';

/** The binding to load: the one a caller names, else the one the Electron launcher set, else the default. */
export function sqliteBinding(explicit?: string): string | undefined {
  if (explicit !== undefined && explicit !== '') return explicit;
  const fromEnv = process.env.PSC_SQLITE_BINDING;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

export function openSqlite(file: string, options: Database.Options = {}, nativeBinding?: string): Database.Database {
  const binding = sqliteBinding(nativeBinding);
  return new Database(file, binding === undefined ? options : { ...options, nativeBinding: binding });
}
