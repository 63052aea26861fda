/**
 * Where the Electron shell keeps the key that encrypts API keys at rest (no Electron import here,
 * so the choice is tested as it is).
 *
 * The keychain only wraps one random 32-byte data key (`secret.key.keychain`, 0600); secrets are
 * AES-256-GCM under that key, unwrapped once at start. So every keychain call is asynchronous and
 * made once, the form Electron's documentation asks for (the synchronous `encryptString` and
 * `decryptString` are removed in Electron 46), while the app's `SecretBox` stays synchronous.
 *
 * Linux without a secret service: Chromium's `safeStorage` then picks the `basic_text` backend,
 * a password built into Chromium, which protects nothing. The app then keeps using its own key file
 * (`secret.key`, 0600, as the browser shell does) and says so, rather than pretend to a keychain.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AesGcmSecretBox, ChainedSecretBox, KeyFileSecretBox, type SecretBox } from '../../secrets/secretBox';

/** The OS keychain as this app uses it: asynchronous only. */
export interface OsKeychain {
  /** On Linux, the secret store Chromium picked ('basic_text' is none at all); elsewhere null. */
  backend(): string | null;
  available(): Promise<boolean>;
  encrypt(plain: string): Promise<Buffer>;
  /** `reEncrypt`: the keychain rotated its key; writing the plain text again keeps it readable. */
  decrypt(ciphertext: Buffer): Promise<{ plain: string; reEncrypt: boolean }>;
}

export const WRAPPED_KEY_FILE = 'secret.key.keychain';
export const KEYCHAIN_SCHEME = 'keychain-aes256gcm';

export interface SecretBoxChoice {
  box: SecretBox;
  where: 'keychain' | 'key-file';
  /** What the agent is told about it; null when the keychain holds the key as it should. */
  notice: string | null;
}

export function noKeychainNotice(keyFile: string): string {
  return (
    'No keychain was found on this Linux desktop (no Secret Service such as GNOME Keyring or KWallet), so Electron could only ' +
    `encrypt with a password built into it. API keys are encrypted with this app's own key file instead: ${keyFile} ` +
    '(readable by you only). Anyone who can read your files can read that key: install and unlock a keychain, then restart, to keep it there.'
  );
}

/**
 * Picks the box. `readers` are older boxes whose ciphertexts must stay readable (the key file is
 * always one: keys saved by the browser shell, or while there was no keychain).
 */
export async function chooseSecretBox(keychain: OsKeychain, dataDir: string, readers: readonly SecretBox[] = []): Promise<SecretBoxChoice> {
  const keyFile = new KeyFileSecretBox(dataDir);
  const onKeyFile = (notice: string): SecretBoxChoice => ({ box: new ChainedSecretBox(keyFile, readers), where: 'key-file', notice });
  if (keychain.backend() === 'basic_text') return onKeyFile(noKeychainNotice(keyFile.file));
  if (!(await keychain.available())) {
    return onKeyFile(`The OS keychain is not available, so API keys are encrypted with this app's own key file: ${keyFile.file} (readable by you only).`);
  }
  let key: Buffer;
  try {
    key = await unwrapOrCreateKey(keychain, path.join(dataDir, WRAPPED_KEY_FILE));
  } catch (err) {
    // A locked or changed keychain: keep the wrapped key as it is (it may unlock next time).
    const why = err instanceof Error ? err.message : String(err);
    return onKeyFile(`The OS keychain did not give back this app's key (${why}). Until it does, API keys saved with it cannot be read and new ones are encrypted with ${keyFile.file}.`);
  }
  return { box: new ChainedSecretBox(new AesGcmSecretBox(KEYCHAIN_SCHEME, key), [keyFile, ...readers]), where: 'keychain', notice: null };
}

async function unwrapOrCreateKey(keychain: OsKeychain, file: string): Promise<Buffer> {
  if (fs.existsSync(file)) {
    const { plain, reEncrypt } = await keychain.decrypt(fs.readFileSync(file));
    const key = Buffer.from(plain, 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key`);
    if (reEncrypt) {
      // Written beside, then renamed over: a crash leaves the old wrapping, still readable.
      fs.writeFileSync(`${file}.new`, await keychain.encrypt(plain), { mode: 0o600 });
      fs.renameSync(`${file}.new`, file);
    }
    return key;
  }
  const key = crypto.randomBytes(32);
  const wrapped = await keychain.encrypt(key.toString('base64'));
  try {
    fs.writeFileSync(file, wrapped, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    // Another start made it in between: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return unwrapOrCreateKey(keychain, file);
    throw err;
  }
}

/** Reads ciphertexts of an older scheme with a synchronous decrypt, while the runtime still has one. */
export class ReadOnlySecretBox implements SecretBox {
  constructor(
    readonly scheme: string,
    private readonly read: ((ciphertext: Buffer) => string) | null,
  ) {}
  encrypt(): Buffer {
    throw new Error(`Secrets are no longer written with ${this.scheme}.`);
  }
  decrypt(scheme: string, ciphertext: Buffer): string | null {
    if (scheme !== this.scheme || this.read === null) return null;
    try {
      return this.read(ciphertext);
    } catch {
      return null;
    }
  }
}
