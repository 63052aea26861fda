import { describe, expect, it } from 'vitest';
import { checkApiKeyFormat } from '../../src-shared/validation/apiKey';
import { normalizeShopDomain } from '../../src-shared/validation/domain';
import { normalizeKeyword } from '../../src-shared/rules/keyword';
import { normalizePhone } from '../../src-shared/validation/phone';
import { maskSecret, redactSecrets } from '../../src-shared/mask';
import { formatOccurredAt, OCCURRED_AT_PATTERN } from '../../src-shared/time';

describe('shop domain', () => {
  it.each([
    ['acme-coffee', 'acme-coffee.myshopify.com'],
    ['ACME-Coffee.myshopify.com', 'acme-coffee.myshopify.com'],
    ['https://acme-coffee.myshopify.com/admin/settings', 'acme-coffee.myshopify.com'],
    ['  admin.shopify.com/store/acme-coffee/orders ', 'acme-coffee.myshopify.com'],
    ['http://acme-coffee.myshopify.com', 'acme-coffee.myshopify.com'],
    ['acme-coffee.myshopify.com?ref=x#top', 'acme-coffee.myshopify.com'],
    ['a'.repeat(60), `${'a'.repeat(60)}.myshopify.com`],
  ])('normalises %s', (raw, expected) => {
    expect(normalizeShopDomain(raw)).toEqual({ ok: true, domain: expected });
  });

  it('refuses a custom domain and says where to find the myshopify one', () => {
    const r = normalizeShopDomain('acmecoffee.com');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/myshopify domain/);
    if (!r.ok) expect(r.message).not.toMatch(/handle/);
  });

  it.each(['', '-acme', 'ac', 'acme_coffee', 'acme coffee'])('refuses %j', (raw) => {
    expect(normalizeShopDomain(raw).ok).toBe(false);
  });

  it.each([
    ['acme coffee', /cannot contain spaces: try acme-coffee\.myshopify\.com/],
    ['acme_coffee', /cannot contain “_”/],
    ['-acme', /cannot start or end with a hyphen/],
    ['ac', /too short/],
    // Found by mutation testing: each guards against a wrong change in domain.ts that no test noticed.
    ['', /^Enter the store’s myshopify domain/], // the empty check dropped: "too short" instead
    ['acme-', /cannot start or end with a hyphen/], // only the start checked
    ['acme   coffee', /try acme-coffee\.myshopify\.com/], // split on single spaces: acme---coffee
    ['acme_coffee!', /cannot contain “_” or “!”\. A Shopify domain is 3–60 lowercase letters, digits or hyphens before \.myshopify\.com\./],
    ['a'.repeat(61), /^The Shopify domain is too long\. A Shopify domain is 3–60/],
    ['x.admin.shopify.com/store/acme', /not its custom domain/], // the admin URL matched anywhere, not at the start
    ['acme-http://coffee', /cannot contain “:”/], // the scheme stripped anywhere, not only at the start
  ])('names the problem with %j in the field’s words (Shopify domain, not “handle”)', (raw, message) => {
    const r = normalizeShopDomain(raw);
    expect(r.ok ? '' : r.message).toMatch(message);
    expect(r.ok ? '' : r.message).not.toMatch(/handle/);
  });
});

describe('API key format', () => {
  it('accepts a private shop key and trims it', () => {
    expect(checkApiKeyFormat('  sk_live_0123456789abcdef \n')).toEqual({ ok: true, kind: 'shop', key: 'sk_live_0123456789abcdef' });
  });
  it('recognises a partner key', () => {
    expect(checkApiKeyFormat('sk_partner_0123456789').ok && checkApiKeyFormat('sk_partner_0123456789')).toMatchObject({ kind: 'partner' });
  });
  it('refuses a public key with the reason and the fix', () => {
    const r = checkApiKeyFormat('pk_0123456789abcdef');
    expect(r).toMatchObject({ ok: false, reason: 'public_key' });
    if (!r.ok) expect(r.message).toMatch(/private/);
  });
  it.each(['', 'hello', 'sk_short', 'sk_has space inside', 'sk_üñí¢ødé_chars'])('refuses %j', (raw) => {
    expect(checkApiKeyFormat(raw).ok).toBe(false);
  });
});

describe('API key format: edges and messages (found by mutation testing)', () => {
  it('says what to paste when empty, and what a private key starts with otherwise', () => {
    expect(checkApiKeyFormat('  ')).toEqual({ ok: false, reason: 'empty', message: 'Paste the private API key you created for Skio.' });
    expect(checkApiKeyFormat('hello')).toEqual({ ok: false, reason: 'malformed', message: 'A Postscript private API key starts with sk_. Copy the whole key from Postscript → Settings → API.' });
    expect(checkApiKeyFormat('sk_has space inside_xx')).toMatchObject({ reason: 'malformed', message: expect.stringMatching(/^This key has characters a Postscript key cannot have/) });
    expect(checkApiKeyFormat('sk_short')).toMatchObject({ reason: 'malformed', message: expect.stringMatching(/^This key is too short to be a whole Postscript key/) });
  });
  it('accepts 16 to 300 characters and refuses 15 or 301', () => {
    // Guards against moving either length limit: a whole key refused, or a cut-off one accepted.
    expect(checkApiKeyFormat(`sk_${'a'.repeat(13)}`).ok).toBe(true); // 16
    expect(checkApiKeyFormat(`sk_${'a'.repeat(12)}`).ok).toBe(false); // 15
    expect(checkApiKeyFormat(`sk_${'a'.repeat(297)}`).ok).toBe(true); // 300
    expect(checkApiKeyFormat(`sk_${'a'.repeat(298)}`)).toMatchObject({ ok: false, reason: 'malformed' }); // 301
  });
});

describe('keyword normalization', () => {
  it('is trimmed upper case (how keywords are stored and shown)', () => {
    expect(normalizeKeyword('  join ')).toBe('JOIN');
  });
});

describe('phone', () => {
  it('names what it could not read, trimmed, and asks for a number when empty', () => {
    // Guards against quoting the untrimmed input or losing the empty-field message.
    expect(normalizePhone('  call me  ')).toEqual({ ok: false, message: expect.stringMatching(/^“call me” is not a phone number we can read\. Type it with its country code/) });
    expect(normalizePhone('   ')).toEqual({ ok: false, message: 'Enter the Test Event User’s phone number.' });
  });

  it.each([
    ['(555) 555-0100', '+15555550100'],
    ['+1 555 555 0100', '+15555550100'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('normalises %s to E.164', (raw, e164) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, e164 });
  });
  it.each(['', '12', 'call me'])('refuses %j', (raw) => {
    expect(normalizePhone(raw).ok).toBe(false);
  });
});

describe('masking', () => {
  it('keeps only the prefix and last four characters', () => {
    expect(maskSecret('sk_abcdefghijkl1234a1b2')).toBe('sk_…a1b2');
    expect(maskSecret('sk_partner_abcdefgh9z9z')).toBe('sk_partner_…9z9z');
  });
  it('masks short values entirely', () => {
    expect(maskSecret('sk_abc')).toBe('••••');
  });
  it('shows the last four only from 12 characters on (after trimming): 11 are masked entirely', () => {
    // Guards against moving the length limit (or measuring before the trim): the last four of an
    // 8-character value are half of it.
    expect(maskSecret('sk_abcd1234')).toBe('••••'); // 11
    expect(maskSecret('sk_abcde1234')).toBe('sk_…1234'); // 12
    expect(maskSecret('  sk_abcd1234  ')).toBe('••••'); // 11 once trimmed
    expect(maskSecret('abcdefgh1234')).toBe('…1234'); // no known prefix: none shown
    expect(maskSecret('pk_abcdefgh1234')).toBe('pk_…1234');
    expect(maskSecret('abc_sk_defgh1234')).toBe('…1234'); // a prefix only at the start
  });
  it('redacts nothing for an empty secret, and masks a short one entirely in text', () => {
    // Guards against splitting on '' (which would put a mask between every character).
    expect(redactSecrets('Bearer x', [''])).toBe('Bearer x');
    expect(redactSecrets('Bearer sk_abc!', ['sk_abc'])).toBe('Bearer ••••!');
  });
  it('redacts every occurrence of a secret in text', () => {
    const secret = 'sk_abcdefghijkl1234a1b2';
    const out = redactSecrets(`Authorization: Bearer ${secret}; again ${secret}`, [secret]);
    expect(out).not.toContain(secret);
    expect(out).toContain('sk_…a1b2');
  });
});

describe('occurred_at', () => {
  it('uses Postscript’s UTC format with microseconds', () => {
    const s = formatOccurredAt(new Date('2026-11-24T16:57:21.123Z'));
    expect(s).toBe('2026-11-24 16:57:21.123000');
    expect(OCCURRED_AT_PATTERN.test(s)).toBe(true);
  });
});
