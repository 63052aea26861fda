/**
 * SKIP replies and the billing-reminder text. Pure: used by the listener and the SKIP tester.
 */

/** Trailing punctuation a texter adds ("Skip!", "SKIP."), and the whitespace around it. */
const TRAILING = /[\s.!?,;:…]+$/u;
const LEADING = /^[\s"'“‘]+/u;

/**
 * True when the message is the SKIP word alone: any case, surrounding whitespace and trailing
 * punctuation allowed; any other word ("skip please") makes it not a skip.
 */
export function isSkipMessage(body: string, skipWord = 'SKIP'): boolean {
  const text = body.replace(LEADING, '').replace(TRAILING, '').replace(/["'”’]+$/u, '').replace(TRAILING, '');
  return text.length > 0 && text.toUpperCase() === skipWord.trim().toUpperCase();
}

// GSM 03.38: the basic set (1 unit each) and the extension set (2 units: escape + char).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

export interface SmsSize {
  encoding: 'GSM-7' | 'UCS-2';
  /** Characters as the subscriber sees them. */
  characters: number;
  /** Encoding units (GSM-7 septets, with extension characters counting twice; UCS-2 code units). */
  units: number;
  segments: number;
}

/** How many SMS segments a text takes: 160/153 per segment in GSM-7, 70/67 in UCS-2. */
export function smsSize(text: string): SmsSize {
  const chars = [...text];
  let units = 0;
  let gsm = true;
  for (const ch of chars) {
    if (GSM_BASIC.includes(ch)) units += 1;
    else if (GSM_EXTENDED.includes(ch)) units += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    return { encoding: 'GSM-7', characters: chars.length, units, segments: units === 0 ? 0 : units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const ucs = text.length; // UTF-16 code units: emoji count twice, as on the wire
  return { encoding: 'UCS-2', characters: chars.length, units: ucs, segments: ucs <= 70 ? 1 : Math.ceil(ucs / 67) };
}

export const DEFAULT_REMINDER_TEMPLATE =
  'Your {{productName}} subscription will renew in {{skioSubscriptionDaysUntilRenewal}} days, on {{nextBillingDate}}, for ${{total}}. Reply {{skipWord}} to skip your next order.';

/** Fills {{name}} merge tags from the test payload's properties (unknown tags stay visible). */
export function fillTemplate(template: string, values: Record<string, string | number | boolean>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (tag, name: string) => (name in values ? String(values[name]) : tag));
}

/** Adds a number of days to a YYYY-MM-DD date (UTC, no time zone drift). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
