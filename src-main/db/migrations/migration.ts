/**
 * One numbered SQLite migration. Its SQL is fixed text: a shipped migration is never edited or
 * reordered (`test/unit/migrationChecksums.test.ts` pins each one's checksum); a change is a new
 * migration. Each runs inside one transaction together with the bump of `PRAGMA user_version`, so a
 * crash mid-migration leaves the database at the previous version.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
