/**
 * Postscript key prefixes (see shared/postscript-api/sandbox.yml): `sk_` shop private key,
 * `sk_partner_` partner private key, `pk_` public key (never valid for API authorization).
 */
export type KeyCheck =
  | { ok: true; kind: 'shop' | 'partner'; key: string }
  | { ok: false; reason: 'empty' | 'public_key' | 'malformed'; message: string };

const KEY_CHARS = /^sk_[A-Za-z0-9_-]+$/;
/** Postscript's private keys are long random strings; anything this short was cut off while copying. */
const MIN_LENGTH = 16;

export function checkApiKeyFormat(raw: string): KeyCheck {
  const key = raw.trim();
  if (key.length === 0) {
    return { ok: false, reason: 'empty', message: 'Paste the private API key you created for Skio.' };
  }
  if (key.startsWith('pk_')) {
    return {
      ok: false,
      reason: 'public_key',
      message:
        'This is a public key (pk_). Postscript only accepts private keys (sk_) for API calls: in Postscript, open Settings → API, create a new private key for Skio and paste the key that starts with sk_.',
    };
  }
  if (!key.startsWith('sk_')) {
    return {
      ok: false,
      reason: 'malformed',
      message: 'A Postscript private API key starts with sk_. Copy the whole key from Postscript → Settings → API.',
    };
  }
  if (/\s/.test(key) || !KEY_CHARS.test(key) || key.length > 300) {
    return {
      ok: false,
      reason: 'malformed',
      message: 'This key has characters a Postscript key cannot have (spaces or punctuation). Copy it again from Postscript → Settings → API.',
    };
  }
  if (key.length < MIN_LENGTH) {
    return { ok: false, reason: 'malformed', message: 'This key is too short to be a whole Postscript key. Copy it again, all of it, from Postscript → Settings → API.' };
  }
  return { ok: true, kind: key.startsWith('sk_partner_') ? 'partner' : 'shop', key };
}
