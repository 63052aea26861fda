/**
 * The team key: derived on each laptop from the team passphrase with scrypt (node:crypto). The
 * team database holds only the salt, the scrypt parameters and a check value (an HMAC of a fixed
 * text under the key), so a wrong passphrase is told so before anything is decrypted, and
 * PostgreSQL never sees the key, the passphrase or a plaintext secret.
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

/**
 * AES-256-GCM under the team key. Until the passphrase is entered it has no key: it decrypts
 * nothing (the dispatcher then says the key must be unlocked) and encrypts nothing.
 */
export class TeamSecretBox implements SecretBox {
  readonly scheme = TEAM_SCHEME;
  private key: Buffer | null = null;

  setKey(key: Buffer | null): void {
    this.key = key;
  }

  get unlocked(): boolean {
    return this.key !== null;
  }

  encrypt(plain: string): Buffer {
    if (this.key === null) throw new Error('The team passphrase has not been entered on this console.');
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  decrypt(scheme: string, ciphertext: Buffer): string | null {
    if (scheme !== TEAM_SCHEME || this.key === null || ciphertext.length < IV_BYTES + TAG_BYTES) return null;
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, ciphertext.subarray(0, IV_BYTES));
    decipher.setAuthTag(ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(ciphertext.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

/** What the agent reads when a key shared by a teammate is used before the passphrase was entered. */
export function unreadableKeyMessage(scheme: string, storeName: string): string | null {
  return scheme === TEAM_SCHEME
    ? `The API key of ${storeName} was shared by a teammate: enter the team passphrase in Settings → Team to use it.`
    : null;
}
