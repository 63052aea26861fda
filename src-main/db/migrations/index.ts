/**
 * Every SQLite migration, in order; `PRAGMA user_version` is the number of the last one applied.
 * To change the schema, add the next file (`011-….ts`, exporting its SQL as fixed text), list it
 * here, and pin its checksum in `test/unit/migrationChecksums.test.ts`.
 */
import type { Migration } from './migration';
import { migration001 } from './001-stores-credentials-triggers-deliveries';
import { migration002 } from './002-outbox-batches';
import { migration003 } from './003-setup-wizard';
import { migration004 } from './004-delivery-log-search';
import { migration005 } from './005-delivery-log-lookups';
import { migration006 } from './006-skip';
import { migration007 } from './007-webhook-secret';
import { migration008 } from './008-store-health';
import { migration009 } from './009-team-sync';
import { migration010 } from './010-settings';
import { migration011 } from './011-postscript-evidence';
import { migration012 } from './012-outbox-counts';
import { migration013 } from './013-sync-conflicts';
import { migration014 } from './014-skiosms-noted-at';

export type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
];
