/** Electron's `safeStorage` (macOS Keychain, Windows DPAPI, libsecret/KWallet) as an `OsKeychain`. */
import { safeStorage } from 'electron';
import { ReadOnlySecretBox, type OsKeychain } from './keychainBox';

export function safeStorageKeychain(): OsKeychain {
  return {
    backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null),
    available: () => safeStorage.isAsyncEncryptionAvailable(),
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    decrypt: async (ciphertext) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(ciphertext);
      return { plain: result, reEncrypt: shouldReEncrypt };
    },
  };
}

/**
 * API keys saved by earlier versions, which encrypted each one with `safeStorage.encryptString`.
 * Readable while Electron has the synchronous `decryptString` (until Electron 46); after that such
 * a key reads as unreadable and the store asks for it again, as for a key saved by the other shell.
 */
export function legacySafeStorageReader(): ReadOnlySecretBox {
  const sync = (safeStorage as { decryptString?: (c: Buffer) => string }).decryptString;
  return new ReadOnlySecretBox('electron-safestorage', typeof sync === 'function' ? (c) => sync.call(safeStorage, c) : null);
}
