import { safeStorage } from 'electron';
import type { SecretBox } from '../../secrets/secretBox';

/** Electron's safeStorage: the OS keychain (macOS Keychain, Windows DPAPI, libsecret/kwallet). */
export class SafeStorageSecretBox implements SecretBox {
  readonly scheme = 'electron-safestorage';
  encrypt(plain: string): Buffer {
    return safeStorage.encryptString(plain);
  }
  decrypt(scheme: string, ciphertext: Buffer): string | null {
    if (scheme !== this.scheme) return null;
    try {
      return safeStorage.decryptString(ciphertext);
    } catch {
      return null;
    }
  }
}
