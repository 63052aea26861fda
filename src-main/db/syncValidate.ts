/**
 * A teammate's row is checked before it touches this console's database: only known columns,
 * plain values of the right kind, and the same rules the app applies to its own input (each from
 * its one home: keyword, test phone, SKIP word, daysBefore, shop domain). Passing these says the
 * value is well formed, not that Postscript knows it: whether the shop has the keyword or the phone
 * is a subscriber is only what this console itself was told (readiness shows "not checked yet").
 */
import { checkKeywordText } from '../../src-shared/rules/keyword';
import { checkSkipWord } from '../../src-shared/rules/skipWord';
import { daysBeforeProblem } from '../../src-shared/rules/daysBefore';
import { normalizeShopDomain } from '../../src-shared/validation/domain';
import { normalizePhone } from '../../src-shared/validation/phone';

class Invalid extends Error {}
export { Invalid as InvalidField };

const ENUMS: Record<string, readonly string[]> = {
  account: ['sandbox', 'live'],
  setup_step: ['user', 'events', 'test', 'done'],
  test_user_status: ['ok', 'not_found', 'no_transactional'],
  status_credential: ['valid', 'invalid'],
  kind: ['shop', 'partner'],
  outcome: ['delivered', 'failed', 'rate_limited', 'uncertain'],
  state: ['queued', 'in_flight', 'delivered', 'failed', 'uncertain', 'cancelled'],
  status_batch: ['running', 'paused', 'cancelled', 'done'],
};
const REQUIRED = new Set(['name', 'shop_domain', 'account', 'event_key', 'external_id', 'outcome', 'started_at', 'state', 'status']);
const NUMBERS = new Set(['enabled', 'skio_sms_also', 'interval_days', 'skipped_count', 'created_ms', 'finished_ms', 'attempts', 'attempt',
  'response_status', 'error_code', 'latency_ms', 'will_retry', 'id']);

/** Returns the value as SQLite takes it, or throws with what is wrong. */
export function validateField(entity: string, column: string, value: unknown): string | number | Buffer | null {
  const fail = (why: string): never => {
    throw new Invalid(`${entity} field "${column}" ${why}`);
  };
  if (value === null || value === undefined) {
    if (REQUIRED.has(column)) fail('is missing');
    return null;
  }
  if (column === 'ciphertext') {
    if (typeof value !== 'string' || !/^[0-9A-Fa-f]*$/.test(value)) fail('is not hex');
    return Buffer.from(value as string, 'hex');
  }
  if (NUMBERS.has(column) || (entity === 'inbound' && column === 'status')) {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail('is not a number');
    return value as number;
  }
  if (typeof value !== 'string') return fail('is not text');
  const text = value as string;
  if (text.length > 1_000_000) fail('is too long');
  const enumKey = column === 'status' ? `status_${entity === 'batch' ? 'batch' : 'credential'}` : column;
  const allowed = ENUMS[enumKey];
  if (allowed !== undefined && !(entity === 'inbound' && column === 'status') && !allowed.includes(text)) fail(`has an unknown value "${text.slice(0, 40)}"`);
  if (column === 'shop_domain') {
    const check = normalizeShopDomain(text);
    if (!check.ok || check.domain !== text) fail(`is not a valid myshopify domain ("${text.slice(0, 80)}")`);
  }
  if (column === 'settings_json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      fail('is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('is not an object');
    const settings = parsed as Record<string, unknown>;
    if ('daysBefore' in settings) {
      const problem = daysBeforeProblem(settings.daysBefore);
      if (problem !== null) fail(`is refused: ${problem}`);
    }
  }
  if (entity === 'store') storeField(column, text, fail);
  if (column === 'name' && text.trim() === '') fail('is empty');
  return text;
}

/** A store's fields that the agent types, checked by the same rules as the agent's own input. */
function storeField(column: string, text: string, fail: (why: string) => never): void {
  if (column === 'keyword') {
    const k = checkKeywordText(text);
    if (!k.ok) fail(`is refused: ${k.message}`);
    else if (k.keyword !== text) fail('has spaces around it');
  }
  if (column === 'test_phone') {
    const p = normalizePhone(text);
    if (!p.ok || p.e164 !== text) fail(`is not a phone number in international form ("${text.slice(0, 40)}")`);
  }
  if (column === 'skip_word') {
    const w = checkSkipWord(text);
    if (!w.ok) fail(`is refused: ${w.message}`);
    else if (w.word !== text) fail('is not in the form the app keeps it (upper case)');
  }
}
