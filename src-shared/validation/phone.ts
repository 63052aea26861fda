import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type PhoneCheck = { ok: true; e164: string } | { ok: false; message: string };

/** Parses a phone number an agent typed into E.164 (country defaults to US), or says why not. */
export function normalizePhone(raw: string, defaultCountry: CountryCode = 'US'): PhoneCheck {
  const value = raw.trim();
  if (value.length === 0) return { ok: false, message: 'Enter the Test Event User’s phone number.' };
  const parsed = parsePhoneNumberFromString(value, defaultCountry);
  if (parsed === undefined || !parsed.isPossible()) {
    return {
      ok: false,
      message: `“${value}” is not a phone number we can read. Type it with its country code (e.g. +1 555 555 0100) or as a 10-digit US number.`,
    };
  }
  return { ok: true, e164: parsed.number };
}
