/**
 * Words for a value a teammate's concurrent edit replaced (team sync keeps the later edit per
 * field): what the field is, what each value was, who set it and when. Shared so the alert (main)
 * and the store's history (renderer) say it the same way.
 */
import { findSkioEvent } from './events/catalog';

export interface ReplacedEdit {
  entity: string;
  /** The store id, or `<store id>/<event key>` for an event's settings. */
  rowId: string;
  field: string;
  storeName: string | null;
  /** Values as JSON text, as synced. */
  lostValue: string | null;
  lostBy: string;
  lostAt: string;
  wonValue: string | null;
  wonBy: string;
  wonAt: string;
}

const STORE_FIELDS: Record<string, string> = {
  name: 'name',
  shop_domain: 'shop domain',
  keyword: 'keyword',
  test_phone: 'Test Event User phone',
  skip_word: 'SKIP word',
  archived_at: 'archived',
};

/** "keyword", "Billing Reminder turned on", "test subscription phone". */
export function fieldLabel(entity: string, rowId: string, field: string): string {
  if (entity === 'trigger') {
    const key = rowId.slice(rowId.indexOf('/') + 1);
    const name = findSkioEvent(key)?.name ?? key;
    if (field === 'enabled') return `${name} turned on`;
    if (field === 'settings_json') return `${name} settings`;
    return `${name} also sent by SkioSMS`;
  }
  if (entity === 'test_subscription') return field === 'phone' ? 'test subscription phone' : 'test subscription interval (days)';
  return STORE_FIELDS[field] ?? field;
}

/** A synced value in words: “COFFEE”, yes/no, none. */
export function valueWords(entity: string, field: string, json: string | null): string {
  let v: unknown;
  try {
    v = json === null ? null : JSON.parse(json);
  } catch {
    v = json;
  }
  if (field === 'archived_at') return v === null ? 'no' : 'yes';
  if (entity === 'trigger' && (field === 'enabled' || field === 'skio_sms_also')) return v === 1 || v === true ? 'yes' : 'no';
  if (field === 'settings_json' && typeof v === 'string') {
    try {
      const o = JSON.parse(v) as unknown;
      if (typeof o === 'object' && o !== null) v = Object.entries(o).map(([k, x]) => `${k} ${String(x)}`).join(', ');
    } catch {
      // not JSON: shown as it is
    }
  }
  if (v === null || v === '') return 'none';
  return `“${String(v)}”`;
}

/** The alert for the agent whose value was replaced. `when` formats a time for reading. */
export function replacedNotice(c: ReplacedEdit, when: (iso: string) => string): string {
  const where = c.storeName === null ? '' : ` on ${c.storeName}`;
  return (
    `${c.wonBy} changed a value you had set${where}, without having seen yours (edits made at the same time, e.g. offline): ` +
    `${fieldLabel(c.entity, c.rowId, c.field)} is now ${valueWords(c.entity, c.field, c.wonValue)} (${c.wonBy}, ${when(c.wonAt)}); ` +
    `yours was ${valueWords(c.entity, c.field, c.lostValue)} (${when(c.lostAt)}). The later edit is kept; yours stays in the store’s history.`
  );
}
