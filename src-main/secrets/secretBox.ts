import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encrypts secrets at rest. Each shell supplies one: in Electron, AES-256-GCM under a key the OS
 * keychain (`safeStorage`) keeps wrapped (shells/electron/keychainBox.ts); in the browser shell, or
 * where there is no keychain, AES-256-GCM with a key kept in a 0600 file in the data directory.
 * A ciphertext remembers its `scheme`, so a shell can tell the agent when a key was saved by the
 * other shell and has to be entered again.
 */
export interface SecretBox {
  readonly scheme: string;
  encrypt(plain: string): Buffer;
  /** Returns null when this box cannot read ciphertexts of that scheme. */
  decrypt(scheme: string, ciphertext: Buffer): string | null;
}

const KEY_FILE = 'secret.key';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM under a 32-byte key the caller holds; a ciphertext is iv ‖ tag ‖ body. */
export class AesGcmSecretBox implements SecretBox {
  constructor(
    readonly scheme: string,
    private readonly key: Buffer,
  ) {}

  encrypt(plain: string): Buffer {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  decrypt(scheme: string, ciphertext: Buffer): string | null {
    if (scheme !== this.scheme || ciphertext.length < IV_BYTES + TAG_BYTES) return null;
    const iv = ciphertext.subarray(0, IV_BYTES);
    const tag = ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null; // wrong key (e.g. copied data directory) or tampered ciphertext
    }
  }
}

/** AES-256-GCM with a random 32-byte key in `<dataDir>/secret.key`, created with mode 0600. */
export class KeyFileSecretBox extends AesGcmSecretBox {
  /** Where the key lives, so a shell can name it to the agent. */
  readonly file: string;

  constructor(dataDir: string) {
    const file = path.join(dataDir, KEY_FILE);
    super('keyfile-aes256gcm', loadOrCreateKey(file));
    this.file = file;
  }
}

function loadOrCreateKey(file: string): Buffer {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    const existing = fs.readFileSync(file);
    if (existing.length === 32) {
      // Tighten permissions if something loosened them.
      if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
      return existing;
    }
    throw new Error(`The secret key file ${file} is damaged (expected 32 bytes). Move it away to start over; saved API keys will need to be entered again.`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = crypto.randomBytes(32);
  // 'wx' fails if another process created it in between; then use theirs.
  try {
    fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file);
    throw err;
  }
}

/** A box that tries a primary box for writing and falls back across boxes for reading. */
export class ChainedSecretBox implements SecretBox {
  constructor(
    private readonly primary: SecretBox,
    private readonly readers: readonly SecretBox[],
  ) {}
  get scheme(): string {
    return this.primary.scheme;
  }
  encrypt(plain: string): Buffer {
    return this.primary.encrypt(plain);
  }
  decrypt(scheme: string, ciphertext: Buffer): string | null {
    for (const box of [this.primary, ...this.readers]) {
      const out = box.decrypt(scheme, ciphertext);
      if (out !== null) return out;
    }
    return null;
  }
}
