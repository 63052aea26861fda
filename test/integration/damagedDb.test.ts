/**
 * A damaged database is found, said plainly, stops sending, and is repaired from a backup: a page
 * overwritten (found by the quick check at start), the first page overwritten ("file is not a
 * database": the app refuses to start with the file and the backups named), and damage met while
 * recording a send (the answer is kept as delivered-unrecorded, never shown as pending).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DamagedDatabaseError, restoreBeforeStart } from '../../src-main/app/damagedStart';
import { coresPerTest, startCore, type TestCore } from '../helpers/core';
import { overwritePage, rootPage } from '../helpers/damagePages';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();
afterEach(() => vi.restoreAllMocks());

const store = (name: string) => ({ name, shopDomain: name.toLowerCase().replace(/\W+/g, '-'), account: 'sandbox' as const, testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' as const } });

async function withBackup(dir: string): Promise<string> {
  const c = await startCore({ dir });
  await c.ok('stores', 'create', store('Before Backup'));
  // The first backup is taken by itself once a store is saved; then one by hand, the newest.
  await waitFor(async () => c.core.ctx.backups.list().length, (n) => n === 1);
  const health = await c.ok('dataHealth', 'backupNow', {});
  await c.ok('stores', 'create', store('After Backup'));
  await c.close();
  return health.backups[0]!.name;
}

const alerts = (c: TestCore): string[] => c.sentToRenderer.filter((s) => s.includes('"event":"alert"'));

describe('a damaged database', () => {
  it('a page overwritten: found at start, said plainly with the file, sending stopped; restored from the newest good backup', async () => {
    const tmp = makeTempDir();
    const backup = await withBackup(tmp.dir);
    const file = path.join(tmp.dir, 'console.sqlite3');
    overwritePage(file, rootPage(file, 'stores'));

    const c = await core({ dir: tmp.dir });
    await c.core.checked; // the quick check runs off the main thread; sending waits for it
    const health = await c.ok('dataHealth', 'status', {});
    expect(health.damaged).not.toBeNull();
    expect(health.damaged!.message).toContain(`The database is damaged: ${file}`);
    expect(health.damaged!.message).toContain('Sending has stopped');
    expect(health.backups.map((b) => b.name)[0]).toBe(backup);
    expect(c.core.ctx.storage.allowed()).toBe(false);
    expect(alerts(c).some((a) => a.includes(`The database is damaged: ${file}`))).toBe(true);

    const restored = await c.ok('dataHealth', 'restore', {});
    expect(restored.restored).toBe(backup);
    expect(restored.health.damaged).toBeNull();
    expect((await c.ok('stores', 'list', {})).map((s) => s.name)).toEqual(['Before Backup']);
    expect(c.core.db.pragma('quick_check', { simple: true })).toBe('ok');
    // The damaged file is kept for support, private like the database.
    expect(restored.keptAt).not.toBeNull();
    expect(fs.statSync(restored.keptAt!).mode & 0o777).toBe(0o600);
    expect(c.core.ctx.storage.allowed()).toBe(true);
    // And the app works on it: a new store, a send.
    const s = await c.ok('stores', 'create', store('After Restore'));
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_created', enabled: true });
    expect((await c.sendTest(s.id, 'subscription_created')).item.state).toBe('delivered');
    tmp.cleanup();
  });

  it('the first page overwritten ("file is not a database"): the start names the file and the backups; the newest good one restores', async () => {
    const tmp = makeTempDir();
    const backup = await withBackup(tmp.dir);
    const file = path.join(tmp.dir, 'console.sqlite3');
    overwritePage(file, 1);

    const failed = await startCore({ dir: tmp.dir }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(DamagedDatabaseError);
    const message = (failed as Error).message;
    expect(message).toContain(file);
    expect(message).toContain(backup);
    expect(message).toContain('--restore-backup newest');

    const { restored, keptAt } = restoreBeforeStart(tmp.dir, 'newest');
    expect(restored.name).toBe(backup);
    expect(fs.existsSync(keptAt)).toBe(true);
    // The refused start released the data directory: this one starts.
    const c = await core({ dir: tmp.dir });
    expect((await c.ok('stores', 'list', {})).map((s) => s.name)).toEqual(['Before Backup']);
    expect((await c.ok('dataHealth', 'status', {})).damaged).toBeNull();
    tmp.cleanup();
  });

  it('damage met while recording a send: the answer is kept as delivered-unrecorded (not pending), and nothing more is sent', async () => {
    const c = await core();
    const s = await c.ok('stores', 'create', store('Corrupt Send'));
    for (const e of ['subscription_created', 'subscription_renewed']) await c.ok('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
    vi.spyOn(c.core.ctx.outbox, 'settle').mockImplementation(() => {
      throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    });
    const first = await c.ok('tests', 'send', { storeId: s.id, eventKey: 'subscription_created' });
    const health = await waitFor(() => c.ok('dataHealth', 'status', {}), (h) => h.unrecorded.length === 1);
    expect(health.unrecorded[0]).toMatchObject({ itemId: first.id, outcome: 'delivered', status: 202 });
    expect(health.damaged!.message).toContain('The database is damaged');
    const status = await c.ok('outbox', 'status', {});
    expect(status).toMatchObject({ unrecorded: 1, waiting: 0 });
    const row = (await c.ok('stores', 'get', { storeId: s.id })).triggers.find((t) => t.eventKey === 'subscription_created')!;
    expect(row).toMatchObject({ pending: 0, unrecorded: 1 });
    expect(alerts(c).some((a) => a.includes('The database is damaged'))).toBe(true);

    // Sending has stopped: a new test stays queued and Postscript receives nothing more.
    const second = await c.ok('tests', 'send', { storeId: s.id, eventKey: 'subscription_renewed' });
    await new Promise((r) => setTimeout(r, 300));
    expect(c.core.ctx.outbox.getItem(second.id)!.state).toBe('queued');
    expect(c.core.ctx.sandbox.state.data.events.map((e) => e.body.external_id)).toEqual([first.externalId]);
  });
});

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
