/**
 * A full disk at each write path: the app stays up, says "the disk is full" with the data
 * directory, writes nothing by halves, pauses sending instead of losing it, and resumes by itself
 * when space is back, with every item sent once. SQLite's own SQLITE_FULL is produced with
 * `PRAGMA max_page_count` (the database may not grow), ENOSPC is injected into file writes, and,
 * where this machine lets the test mount one, a small tmpfs is filled for real.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { coresPerTest, startCore, type TestCore } from '../helpers/core';
import { waitFor } from '../helpers/waitFor';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();
afterEach(() => vi.restoreAllMocks());

const full = (): Error => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
const enospc = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });


/** A core whose "is there space again?" answer the test controls. */
async function fullableCore(dir?: string): Promise<{ c: TestCore; space: { back: boolean }; alerts: () => string[] }> {
  const space = { back: true };
  const c = await core({ ...(dir === undefined ? {} : { dir }), more: { spaceProbe: () => space.back, spaceProbeEveryMs: 20 } });
  const alerts = (): string[] => c.sentToRenderer.filter((s) => s.includes('"event":"alert"')).map((s) => (JSON.parse(s) as { payload: { message: string } }).payload.message);
  return { c, space, alerts };
}

async function storeWithEvents(c: TestCore, name: string, events: string[]): Promise<string> {
  const s = await c.ok('stores', 'create', { name, shopDomain: name.toLowerCase().replace(/\W+/g, '-'), account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
  for (const e of events) await c.ok('triggers', 'set', { storeId: s.id, eventKey: e, enabled: true });
  return s.id;
}

const EVENTS = ['subscription_created', 'subscription_renewed', 'subscription_cancelled', 'card_expiration'];

function receivedOnce(c: TestCore, externalIds: string[]): void {
  const got = c.core.ctx.sandbox.state.data.events.map((e) => String(e.body.external_id));
  for (const id of externalIds) expect(got.filter((g) => g === id)).toHaveLength(1);
}

/** Asks for a send while storage is failing: it must stay queued and unsent (sending is paused). */
async function heldWhilePaused(c: TestCore, storeId: string): Promise<{ id: number; externalId: string }> {
  const item = await c.ok('tests', 'send', { storeId, eventKey: 'subscription_created' });
  await new Promise((r) => setTimeout(r, 300)); // several dispatcher turns
  expect((await c.ok('outbox', 'status', {})).waiting).toBeGreaterThan(0);
  expect(c.core.ctx.outbox.getItem(item.id)?.state).toBe('queued');
  expect(c.core.ctx.sandbox.state.data.events.some((e) => String(e.body.external_id) === item.externalId)).toBe(false);
  return item;
}

describe('a full disk at each write path (SQLITE_FULL / ENOSPC)', () => {
  it('enqueue: the call says the disk is full with the data directory, nothing is half-written, the app keeps answering', async () => {
    const { c, alerts } = await fullableCore();
    const storeId = await storeWithEvents(c, 'Full Enqueue', EVENTS);
    for (let i = 0; i < 5; i++) await storeWithEvents(c, `Full Enqueue ${i}`, EVENTS); // 24 items: more than the free room in existing pages
    const before = c.core.db.pragma('page_count', { simple: true }) as number;
    c.core.db.pragma(`max_page_count = ${before}`); // the database may not grow: SQLite answers SQLITE_FULL
    const r = await c.call('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    c.core.db.pragma('max_page_count = 1073741823');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain('The disk is full');
    expect(r.error.message).toContain(c.dir);
    expect(alerts().some((a) => a.includes('The disk is full') && a.includes(c.dir))).toBe(true);
    // One transaction: neither the batch nor any of its items exists.
    expect(await c.ok('batches', 'list', {})).toHaveLength(0);
    expect((await c.ok('outbox', 'status', {})).waiting).toBe(0);
    expect((await c.ok('stores', 'get', { storeId })).name).toBe('Full Enqueue');
  });

  it('claim and settle: sending pauses (items stay queued, answers kept), then the batch finishes by itself when space is back, each item once', async () => {
    const { c, space, alerts } = await fullableCore();
    await storeWithEvents(c, 'Full Send A', EVENTS);
    await storeWithEvents(c, 'Full Send B', EVENTS);
    await c.ok('sandbox', 'setFaults', { delayMs: 150 });
    const outbox = c.core.ctx.outbox;
    const realSettle = outbox.settle.bind(outbox);
    const realClaim = outbox.claim.bind(outbox);
    let settleFailures = 0;
    // The disk fills while sends are in flight: their answers cannot be written, nor new claims.
    space.back = false;
    vi.spyOn(outbox, 'settle').mockImplementation((...args) => {
      if (!space.back) {
        settleFailures += 1;
        throw full();
      }
      return realSettle(...args);
    });
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    expect(batch.total).toBe(8);
    await waitFor(() => settleFailures, (n) => n > 0);
    vi.spyOn(outbox, 'claim').mockImplementation((...args) => {
      if (!space.back) throw full();
      return realClaim(...args);
    });
    const paused = await waitFor(() => c.ok('dataHealth', 'status', {}), (h) => h.diskFull !== null && h.unrecorded.length > 0);
    expect(paused.diskFull!.message).toContain(c.dir);
    expect(alerts().filter((a) => a.includes('The disk is full'))).toHaveLength(1); // said once, not per write
    // Answered but not recorded: shown as such, never as waiting.
    const st = await c.ok('outbox', 'status', {});
    expect(st.unrecorded).toBe(paused.unrecorded.length);
    expect(paused.unrecorded.every((u) => u.outcome === 'delivered')).toBe(true);
    const stuck = await c.ok('batches', 'get', { batchId: batch.id });
    expect(stuck.status).toBe('running');
    expect(stuck.counts.failed + stuck.counts.uncertain).toBe(0);

    space.back = true; // the agent frees space: the probe notices and sending resumes by itself
    const done = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (b) => b.status === 'done');
    expect(done.counts.delivered).toBe(8);
    expect((await c.ok('dataHealth', 'status', {})).unrecorded).toHaveLength(0);
    expect(alerts().some((a) => a.includes('space is back'))).toBe(true);
    const items = (await c.ok('batches', 'items', { batchId: batch.id })).rows;
    receivedOnce(c, items.map((i) => i.externalId));
  });

  it('a directory that becomes read-only mid-batch: said with its path, sending paused, resumed when writable, each item once', async () => {
    const { c, space, alerts } = await fullableCore();
    const storeId = await storeWithEvents(c, 'Read Only Later', EVENTS);
    const outbox = c.core.ctx.outbox;
    const realSettle = outbox.settle.bind(outbox);
    space.back = false; // the probe's write fails while the directory is read-only
    vi.spyOn(outbox, 'settle').mockImplementation((...args) => {
      if (!space.back) throw Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
      return realSettle(...args);
    });
    const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
    const h = await waitFor(() => c.ok('dataHealth', 'status', {}), (x) => x.cannotWrite !== null && x.unrecorded.length > 0);
    expect(h.cannotWrite!.message).toContain(`read-only: ${c.dir}`);
    expect(alerts().filter((a) => a.includes(`read-only: ${c.dir}`))).toHaveLength(1);
    // Sending is paused: a send asked for now is queued and not sent while the directory is read-only.
    // Guards against the outbox going on while writes fail (answers it cannot record would pile up).
    const held = await heldWhilePaused(c, storeId);
    space.back = true;
    const done = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (b) => b.status === 'done');
    expect(done.counts.delivered).toBe(4);
    expect((await c.settled(held.id)).state).toBe('delivered');
    receivedOnce(c, [...(await c.ok('batches', 'items', { batchId: batch.id })).rows.map((i) => i.externalId), held.externalId]);
  });

  it('a "disk I/O error" on a nearly full disk is said as a full disk, and sending pauses until there is room', async () => {
    // Guards against taking SQLite's "disk I/O error" at its word: on a full disk (it cannot grow
    // its WAL) the agent must be told to free space, not to check the disk.
    const { c, space, alerts } = await fullableCore();
    const storeId = await storeWithEvents(c, 'Io On Full', ['subscription_created']);
    const outbox = c.core.ctx.outbox;
    const realSettle = outbox.settle.bind(outbox);
    const realStatfs = fs.statfsSync.bind(fs);
    space.back = false;
    vi.spyOn(fs, 'statfsSync').mockImplementation(((p: fs.PathLike) => ({ ...realStatfs(p), bavail: space.back ? realStatfs(p).bavail : 10 })) as typeof fs.statfsSync);
    vi.spyOn(outbox, 'settle').mockImplementation((...args) => {
      if (!space.back) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
      return realSettle(...args);
    });
    const first = await c.ok('tests', 'send', { storeId, eventKey: 'subscription_created' });
    const h = await waitFor(() => c.ok('dataHealth', 'status', {}), (x) => x.diskFull !== null && x.unrecorded.length > 0);
    expect(h.cannotWrite).toBeNull();
    expect(h.diskFull!.message).toContain(c.dir);
    expect(alerts().filter((a) => a.includes('The disk is full'))).toHaveLength(1);
    expect(alerts().some((a) => a.includes('disk I/O error'))).toBe(false);
    const held = await heldWhilePaused(c, storeId);
    space.back = true;
    for (const item of [first, held]) expect((await c.settled(item.id)).state).toBe('delivered');
    receivedOnce(c, [first.externalId, held.externalId]);
  });

  it('a "disk I/O error" with room on the disk is said as such, and sending pauses too', async () => {
    // Guards against calling every I/O error a full disk (the agent would free space in vain).
    const { c, space, alerts } = await fullableCore();
    const storeId = await storeWithEvents(c, 'Io With Room', ['subscription_created']);
    const outbox = c.core.ctx.outbox;
    const realSettle = outbox.settle.bind(outbox);
    space.back = false;
    vi.spyOn(outbox, 'settle').mockImplementation((...args) => {
      if (!space.back) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
      return realSettle(...args);
    });
    const first = await c.ok('tests', 'send', { storeId, eventKey: 'subscription_created' });
    const h = await waitFor(() => c.ok('dataHealth', 'status', {}), (x) => x.cannotWrite !== null && x.unrecorded.length > 0);
    expect(h.diskFull).toBeNull();
    expect(h.cannotWrite!.message).toMatch(/could not write to its data directory .*disk I\/O error/);
    expect(alerts().filter((a) => a.includes('disk I/O error'))).toHaveLength(1);
    const held = await heldWhilePaused(c, storeId);
    space.back = true;
    for (const item of [first, held]) expect((await c.settled(item.id)).state).toBe('delivered');
    receivedOnce(c, [first.externalId, held.externalId]);
  });

  it('a Sandbox write: the state file stays whole, the app stays up, and the change is saved once space is back', async () => {
    const { c, space, alerts } = await fullableCore();
    const file = c.core.ctx.sandbox.state.file!;
    const shopsInFile = (): string[] => (file.connection.prepare('SELECT json FROM shops').all() as Array<{ json: string }>).map((r) => (JSON.parse(r.json) as { name: string }).name);
    const before = shopsInFile();
    space.back = false;
    const pages = file.connection.pragma('page_count', { simple: true }) as number;
    file.connection.pragma(`max_page_count = ${pages}`); // the file may not grow: SQLite answers SQLITE_FULL
    // Many shops: more than the free room in the file's existing pages.
    for (let i = 0; i < 40; i++) c.core.ctx.sandbox.state.createShop(`Made while full ${i}`);
    expect(shopsInFile().length).toBeLessThan(before.length + 40);
    expect(file.connection.pragma('quick_check', { simple: true })).toBe('ok');
    expect(alerts().some((a) => a.includes('The disk is full'))).toBe(true);
    file.connection.pragma('max_page_count = 1073741823');
    space.back = true;
    // Saved again by itself once space is back: the shops made meanwhile are not lost.
    await waitFor(() => shopsInFile(), (names) => names.includes('Made while full 39') && names.length === before.length + 40);
  });

  it('an export: says it failed and leaves no empty or partial file', async () => {
    const { c } = await fullableCore();
    const storeId = await storeWithEvents(c, 'Full Export', EVENTS);
    await c.sendTest(storeId, 'subscription_created');
    const exportsDir = c.core.ctx.exportsDir;
    const realCreate = fs.createWriteStream;
    vi.spyOn(fs, 'createWriteStream').mockImplementation((file, options) => {
      const stream = realCreate(file, options);
      const fail = (_c: unknown, cb: (e: Error) => void): void => cb(enospc());
      Object.assign(stream, { _write: fail, _writev: fail });
      return stream;
    });
    const progress: Array<{ jobId: string; finished: boolean; error?: string }> = [];
    c.core.bus.onAny((event, payload) => {
      if (event === 'progress') progress.push(payload as (typeof progress)[number]);
    });
    const job = await c.ok('deliveries', 'export', { format: 'csv' });
    const end = await waitFor(() => progress.find((p) => p.jobId === job.jobId && p.finished), (p) => p !== undefined);
    expect(end!.error).toMatch(/The disk is full: the export stopped/);
    expect(fs.existsSync(job.path)).toBe(false);
    expect(fs.existsSync(exportsDir) ? fs.readdirSync(exportsDir) : []).toEqual([]);
  });

  it('a webhook delivery: 500 (Postscript retries), nothing recorded by halves, the agent told', async () => {
    const { c, alerts } = await fullableCore();
    const storeId = await storeWithEvents(c, 'Full Hook', []);
    const st = await c.ok('skip', 'setup', { storeId });
    await c.ok('skip', 'setSubscription', { storeId, phone: '+15555550100', nextBillingDate: '2030-01-15', intervalDays: 30 });
    vi.spyOn(c.core.ctx.webhooks, 'markProcessed').mockImplementation(() => {
      throw full();
    });
    const shop = c.core.ctx.sandbox.state.shopById((await c.ok('stores', 'get', { storeId })).postscriptShopId!)!;
    const { first } = await c.core.ctx.sandbox.deliverIncomingMessage(shop.id, { body: 'SKIP', fromNumber: '+15555550100', retryWindowMs: 0 });
    expect(first).toEqual([500]);
    expect(alerts().some((a) => a.includes('The disk is full'))).toBe(true);
    expect((await c.ok('skip', 'status', { storeId })).subscription!.nextBillingDate).toBe('2030-01-15');
    expect(st.listener.running).toBe(true);
  });

  it('a store write: the IPC error says the disk is full and where; the store is unchanged', async () => {
    const { c } = await fullableCore();
    const storeId = await storeWithEvents(c, 'Full Store', []);
    vi.spyOn(c.core.ctx.repo, 'setSkipWord').mockImplementation(() => {
      throw full();
    });
    const r = await c.call('skip', 'setSkipWord', { storeId, word: 'PAUSE' });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!r.ok) expect(r.error.message).toMatch(new RegExp(`The disk is full.*${c.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect((await c.ok('skip', 'status', { storeId })).skipWord).toBe('SKIP');
  });
});

/** Writes until the disk says ENOSPC (then a few small writes, to take the last partial pages). */
function fillDisk(file: string): void {
  const fd = fs.openSync(file, 'a');
  try {
    for (const size of [64 * 1024, 4096, 512]) {
      try {
        for (;;) fs.writeSync(fd, Buffer.alloc(size, 1));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

function tryMount(dir: string, sizeKb: number): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0]! : String(err);
  }
}

const probeDir = makeTempDir('psc-mount-probe-');
const mountRefusal = process.platform === 'linux' ? tryMount(probeDir.dir, 64) : 'not Linux';
if (mountRefusal === null) execFileSync('umount', [probeDir.dir]);
probeDir.cleanup();
if (mountRefusal !== null) console.warn(`Skipping the real full-disk test: cannot mount a small tmpfs here (${mountRefusal}).`);

describe.skipIf(mountRefusal !== null)('a real full disk (a small tmpfs)', () => {
  it('pauses sending when the disk fills and finishes the batch once space is freed, each item once', { timeout: 60_000 }, async () => {
    const mnt = makeTempDir('psc-tmpfs-');
    expect(tryMount(mnt.dir, 8 * 1024)).toBeNull();
    try {
      const dir = path.join(mnt.dir, 'data');
      // The app's own probe (a file written in the data directory), checked often.
      const c = await startCore({ dir, more: { spaceProbeEveryMs: 50 } });
      const alerts = (): string[] => c.sentToRenderer.filter((s) => s.includes('"event":"alert"'));
      await storeWithEvents(c, 'Tmpfs A', EVENTS);
      await storeWithEvents(c, 'Tmpfs B', EVENTS);
      await c.ok('sandbox', 'setFaults', { delayMs: 300 });
      const { batch } = await c.ok('batches', 'create', { stores: { kind: 'all' }, events: { kind: 'enabled' } });
      // Fill the disk while the first sends are in flight.
      const filler = path.join(mnt.dir, 'filler');
      fillDisk(filler);
      await waitFor(() => c.ok('dataHealth', 'status', {}), (h) => h.diskFull !== null, 30_000);
      expect(alerts().some((a) => a.includes('The disk is full') && a.includes(dir))).toBe(true);
      fs.rmSync(filler);
      const done = await waitFor(() => c.ok('batches', 'get', { batchId: batch.id }), (b) => b.status === 'done', 30_000);
      expect(done.counts.delivered).toBe(8);
      receivedOnce(c, (await c.ok('batches', 'items', { batchId: batch.id })).rows.map((i) => i.externalId));
      // Said once each: the disk filled once and was freed once.
      expect([alerts().filter((a) => a.includes('The disk is full')).length, alerts().filter((a) => a.includes('Disk space is back')).length]).toEqual([1, 1]);
      await c.close();

      // A start while the disk is full says so, with the directory (not "disk I/O error").
      fillDisk(filler);
      const refused = await startCore({ dir }).then(
        () => null,
        (err: unknown) => err as Error,
      );
      expect(refused?.message).toContain(`The disk is full: the app has no room to start in its data directory (${dir})`);
    } finally {
      execFileSync('umount', ['-l', mnt.dir]);
      mnt.cleanup();
    }
  });
});
