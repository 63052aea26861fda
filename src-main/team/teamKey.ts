/**
 * The team key, as an envelope: a random data key (one per key version) encrypts the shared
 * secrets; a key derived on each laptop from the team passphrase with scrypt (node:crypto) only
 * wraps it. The team database holds, per version, the salt, the scrypt parameters, a check value
 * (an HMAC of a fixed text under the passphrase key, so a wrong passphrase is told so before
 * anything is decrypted) and the wrapped data key; PostgreSQL never sees a key, the passphrase or
 * a plaintext secret. Rotating (keyRotation.ts) makes a new version with a new data key and a new
 * passphrase; ciphertexts name their version in their scheme, and a box opens only the newest.
 */
import crypto from 'node:crypto';
import type { SecretBox } from '../secrets/secretBox';

export const TEAM_SCHEME = 'team-v1';
const CHECK_TEXT = 'postscript-console team key check v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface KeyParams {
  N: number;
  r: number;
  p: number;
}
export const DEFAULT_PARAMS: KeyParams = { N: 1 << 15, r: 8, p: 1 };

export async function deriveTeamKey(passphrase: string, salt: Buffer, params: KeyParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(passphrase.normalize('NFC'), salt, 32, { ...params, maxmem: 256 * params.N * params.r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function checkValue(key: Buffer): Buffer {
  return crypto.createHmac('sha256', key).update(CHECK_TEXT).digest();
}

export function keyMatches(key: Buffer, expected: Buffer): boolean {
  const actual = checkValue(key);
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

function seal(key: Buffer, plain: Buffer): Buffer {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < IV_BYTES + TAG_BYTES) return null;
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

/** The data key wrapped under the passphrase key (AES-256-GCM). */
export function wrapDataKey(passphraseKey: Buffer, dataKey: Buffer): Buffer {
  return seal(passphraseKey, dataKey);
}

export function unwrapDataKey(passphraseKey: Buffer, wrapped: Buffer): Buffer | null {
  return open(passphraseKey, wrapped);
}

/** The scheme of a ciphertext under key version `v` ('team-v1' is version 1, as before versions). */
export function teamScheme(version: number): string {
  return version === 1 ? TEAM_SCHEME : `${TEAM_SCHEME}@${version}`;
}

export function isTeamScheme(scheme: string): boolean {
  return scheme === TEAM_SCHEME || scheme.startsWith(`${TEAM_SCHEME}@`);
}

/**
 * AES-256-GCM under the team key. Until the passphrase is entered it has no key: it decrypts
 * nothing (the dispatcher then says the key must be unlocked) and encrypts nothing.
 */
export class TeamSecretBox implements SecretBox {
  private key: Buffer | null = null;
  /** The key version this box encrypts under and opens (only the newest it was given). */
  version: number | null = null;

  get scheme(): string {
    return teamScheme(this.version ?? 1);
  }

  setKey(key: Buffer | null, version = 1): void {
    this.key = key;
    this.version = key === null ? null : version;
  }

  get unlocked(): boolean {
    return this.key !== null;
  }

  encrypt(plain: string): Buffer {
    if (this.key === null) throw new Error('The team passphrase has not been entered on this console.');
    return seal(this.key, Buffer.from(plain, 'utf8'));
  }

  /** Opens only ciphertexts of this box's key version: an older version is refused after a rotation. */
  decrypt(scheme: string, ciphertext: Buffer): string | null {
    if (this.key === null || scheme !== this.scheme) return null;
    return open(this.key, ciphertext)?.toString('utf8') ?? null;
  }

  /**
   * A key's fingerprint as the team database may hold it: an HMAC under the data key, so someone
   * who guesses a key cannot match it against the team database without the team key.
   */
  fingerprint(plain: string): string {
    if (this.key === null || this.version === null) throw new Error('The team passphrase has not been entered on this console.');
    return `k${this.version}:${crypto.createHmac('sha256', this.key).update(`key fingerprint:${plain}`).digest('hex')}`;
  }
}

/** What the agent reads when a key shared by a teammate is used before the passphrase was entered. */
export function unreadableKeyMessage(scheme: string, storeName: string): string | null {
  return isTeamScheme(scheme)
    ? `The API key of ${storeName} was shared by a teammate: enter the team passphrase in Settings → Team to use it.`
    : null;
}
