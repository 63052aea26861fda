import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainedSecretBox, KeyFileSecretBox } from '../../src-main/secrets/secretBox';
import { makeTempDir } from '../helpers/tmp';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('key-file secret box (browser shell)', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = new KeyFileSecretBox(dir());
    const secret = 'sk_sandbox_0123456789abcdef0123';
    const ct = box.encrypt(secret);
    expect(ct.includes(Buffer.from(secret))).toBe(false);
    expect(box.decrypt(box.scheme, ct)).toBe(secret);
  });

  it.skipIf(process.platform === 'win32')('creates its key file readable by the owner only (0600)', () => {
    const d = dir();
    new KeyFileSecretBox(d);
    expect(fs.statSync(path.join(d, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('reuses the key file across launches', () => {
    const d = dir();
    const ct = new KeyFileSecretBox(d).encrypt('sk_persisted_key_123456');
    expect(new KeyFileSecretBox(d).decrypt('keyfile-aes256gcm', ct)).toBe('sk_persisted_key_123456');
  });

  it('cannot read another data directory’s secrets, nor a tampered ciphertext', () => {
    const a = new KeyFileSecretBox(dir());
    const b = new KeyFileSecretBox(dir());
    const ct = a.encrypt('sk_secret_for_a_only_1234');
    expect(b.decrypt(b.scheme, ct)).toBeNull();
    ct.writeUInt8(ct.readUInt8(ct.length - 1) ^ 0xff, ct.length - 1);
    expect(a.decrypt(a.scheme, ct)).toBeNull();
  });

  it('answers null for another scheme so the app can ask for the key again', () => {
    const box = new KeyFileSecretBox(dir());
    expect(box.decrypt('electron-safestorage', Buffer.from('x'))).toBeNull();
  });

  it('a chained box writes with the primary and reads with any', () => {
    const keyFile = new KeyFileSecretBox(dir());
    const old = keyFile.encrypt('sk_written_by_browser_shell');
    const fakePrimary = {
      scheme: 'fake',
      encrypt: (p: string) => Buffer.from(`fake:${p}`),
      decrypt: (s: string, c: Buffer) => (s === 'fake' ? c.toString().slice(5) : null),
    };
    const chained = new ChainedSecretBox(fakePrimary, [keyFile]);
    expect(chained.scheme).toBe('fake');
    expect(chained.decrypt(keyFile.scheme, old)).toBe('sk_written_by_browser_shell');
  });
});
