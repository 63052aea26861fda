/** The alert for a value of this console's that a teammate's concurrent edit replaced (db/syncApply.ts keeps it). */
import { replacedNotice } from '../../src-shared/teamConflict';
import { hlcMs } from '../db/syncApply';
import type { ConflictRow } from '../db/syncRepo';

const iso = (hlc: string): string => new Date(hlcMs(hlc)).toISOString();
const when = (at: string): string => new Date(at).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });

export function conflictNotice(k: ConflictRow): string {
  return replacedNotice(
    {
      entity: k.entity,
      rowId: k.rowId,
      field: k.field,
      storeName: k.storeName,
      lostValue: k.lostValue,
      lostBy: k.lostBy,
      lostAt: iso(k.lostHlc),
      wonValue: k.wonValue,
      wonBy: k.wonBy,
      wonAt: iso(k.wonHlc),
    },
    when,
  );
}
