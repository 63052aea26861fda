/**
 * StorageHealth on its own (`src-main/storage/health.ts`): what the agent is told about a full disk,
 * a read-only or failing directory and a damaged database, and when sending is held and let go.
 * The integration suites (diskFull, damagedDb, indexRepair) prove the same against real files;
 * these pin each rule's edges, and each test names the wrong change it guards against.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backups } from '../../src-main/db/backups';
import { openDatabase, type Db } from '../../src-main/db/database';
import { EventBus } from '../../src-main/ipc/events';
import { defaultSpaceProbe, nearlyFull, StorageHealth, type StorageHealthOptions } from '../../src-main/storage/health';
import { makeTempDir } from '../helpers/tmp';

const cleanups: Array<() => void> = [];
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0)) c();
});

const err = (code: string, message = `${code} happened`): Error => Object.assign(new Error(message), { code });
const FULL = err('SQLITE_FULL', 'database or disk is full');

interface Rig {
  storage: StorageHealth;
  alerts: Array<{ level: string; message: string }>;
  dir: string;
  db: Db;
  resumed: () => number;
  space: { back: boolean };
}

function rig(extra: Partial<StorageHealthOptions> = {}): Rig {
  const t = makeTempDir();
  const db = openDatabase(path.join(t.dir, 'console.sqlite3'));
  cleanups.push(() => {
    db.close();
    t.cleanup();
  });
  const bus = new EventBus();
  const alerts: Rig['alerts'] = [];
  bus.onAny((event, payload) => {
    if (event === 'alert') alerts.push(payload as { level: string; message: string });
  });
  const space = { back: false };
  const storage = new StorageHealth({ dataDir: t.dir, dbFile: path.join(t.dir, 'console.sqlite3'), db, bus, probe: () => space.back, probeEveryMs: 100, ...extra });
  cleanups.push(() => storage.stop());
  let resumed = 0;
  storage.onResume(() => {
    resumed += 1;
  });
  return { storage, alerts, dir: t.dir, db, resumed: () => resumed, space };
}

describe('StorageHealth: a full disk', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it('is said once with the data directory, holds sending, and lets go (said once) when the probe finds room', () => {
    // Guards: no alert, an alert per failed write, a message without the directory, sending not held,
    // never probing again, resuming while still full, "back" said before the held writes ran.
    const r = rig();
    expect(r.storage.allowed()).toBe(true);
    expect(r.storage.held()).toBeNull();
    const message = r.storage.report(FULL, 'sending');
    expect(message).toMatch(/^The disk is full, so nothing was saved/);
    expect(message).toContain(`Data directory: ${r.dir}.`);
    expect(r.storage.report(err('ENOSPC'), 'export')).toBe(message);
    expect(r.alerts).toEqual([{ level: 'error', message, at: expect.any(String) }]);
    expect(r.storage.allowed()).toBe(false);
    expect(r.storage.held()).toBe('disk_full');
    expect(r.storage.diskFull?.where).toBe('sending');

    vi.advanceTimersByTime(1000); // no room yet: still held, nothing more said
    expect(r.storage.held()).toBe('disk_full');
    expect(r.resumed()).toBe(0);
    expect(r.alerts).toHaveLength(1);

    r.space.back = true;
    vi.advanceTimersByTime(100);
    expect(r.storage.allowed()).toBe(true);
    expect(r.resumed()).toBe(1);
    expect(r.alerts.map((a) => [a.level, a.message])).toEqual([
      ['error', message],
      ['warning', 'Disk space is back: the app saves again and sending has resumed.'],
    ]);
    vi.advanceTimersByTime(1000); // probing stopped: nothing resumes twice
    expect(r.resumed()).toBe(1);
    expect(r.alerts).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);

    // Full again later: said again (the agent was told it was back), probed again.
    r.space.back = false;
    r.storage.report(FULL, 'export');
    expect(r.alerts.map((a) => a.level)).toEqual(['error', 'warning', 'error']);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('one probe at a time, and none left after stop()', () => {
    // Guards: a second interval started when a read-only directory then fills up (one leaks for good); stop() not stopping.
    const r = rig();
    r.storage.report(err('SQLITE_READONLY'), 'sending');
    r.storage.report(FULL, 'sending');
    expect(vi.getTimerCount()).toBe(1);
    r.storage.stop();
    expect(vi.getTimerCount()).toBe(0);
    r.storage.stop();
  });

  it('probes every 5 seconds when not told otherwise', () => {
    // Guards: the default interval changed or dropped.
    const probes: number[] = [];
    const r = rig({ probeEveryMs: undefined, probe: () => (probes.push(Date.now()), false) });
    r.storage.report(FULL, 'sending');
    vi.advanceTimersByTime(4999);
    expect(probes).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(probes).toHaveLength(1);
  });

  it('a held write that finds the disk full again while resuming: nothing new said, probing goes on, "back" said once at the end', () => {
    // Guards: "full" said a second time while resuming; "back" said although the held writes failed; probing stopped.
    const r = rig();
    let tries = 0;
    r.storage.onResume(() => {
      tries += 1;
      if (tries === 1) throw FULL;
    });
    r.storage.report(FULL, 'sending');
    r.space.back = true;
    vi.advanceTimersByTime(100);
    expect(tries).toBe(1);
    expect(r.storage.held()).toBe('disk_full');
    expect(r.storage.diskFull?.where).toBe('resuming');
    expect(r.alerts.map((a) => a.level)).toEqual(['error']);
    vi.advanceTimersByTime(100);
    expect(tries).toBe(2);
    expect(r.storage.allowed()).toBe(true);
    expect(r.alerts.map((a) => a.level)).toEqual(['error', 'warning']);
    expect(r.alerts[1]!.message).toMatch(/^Disk space is back/);
  });

  it('a "disk I/O error" with under 1 MB free is a full disk; with exactly 1 MB it is an I/O error', () => {
    // Guards: the nearly-full rule dropped, inverted, or its 1 MB threshold moved or made inclusive.
    const statfs = vi.spyOn(fs, 'statfsSync');
    statfs.mockReturnValue({ bavail: 1023, bsize: 1024 } as fs.StatsFs);
    const r = rig();
    expect(r.storage.report(err('SQLITE_IOERR_WRITE', 'disk I/O error'), 'sending')).toMatch(/^The disk is full/);
    expect(r.storage.held()).toBe('disk_full');

    statfs.mockReturnValue({ bavail: 1024, bsize: 1024 } as fs.StatsFs);
    const r2 = rig();
    const message = r2.storage.report(err('SQLITE_IOERR_WRITE', 'disk I/O error'), 'sending');
    expect(message).toBe(`The app could not write to its data directory (${r2.dir}): disk I/O error. Sending is paused; check the disk. It resumes by itself once writing works again.`);
    expect(r2.storage.held()).toBe('cannot_write');
  });
});

describe('StorageHealth: a directory it cannot write', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it('read-only: said with its path, held as "cannot write" until a write works, then "writable again"', () => {
    // Guards: read-only said as a generic failure, not held, or the resume said as "disk space is back".
    const r = rig();
    const message = r.storage.report(err('SQLITE_READONLY'), 'sending');
    expect(message).toBe(`The data directory has become read-only, so nothing was saved. read-only: ${r.dir}. Sending is paused; it resumes by itself once the directory is writable.`);
    expect(r.storage.report(err('EROFS'), 'export')).toBe(message);
    expect(r.storage.held()).toBe('cannot_write');
    expect(r.storage.allowed()).toBe(false);
    expect(r.storage.cannotWrite).toMatchObject({ where: 'sending', message });
    expect(r.alerts).toEqual([{ level: 'error', message, at: expect.any(String) }]);
    r.space.back = true;
    vi.advanceTimersByTime(100);
    expect(r.storage.allowed()).toBe(true);
    expect(r.resumed()).toBe(1);
    expect(r.alerts.at(-1)).toMatchObject({ level: 'warning', message: 'The data directory is writable again: sending has resumed.' });
  });

  it('a held write that finds the directory still read-only while resuming: not said again, no "writable again", probing goes on', () => {
    // Guards: "read-only" said a second time while resuming; "writable again" said although the held writes failed.
    const r = rig();
    let tries = 0;
    r.storage.onResume(() => {
      tries += 1;
      if (tries === 1) throw err('SQLITE_READONLY');
    });
    r.storage.report(err('SQLITE_READONLY'), 'sending');
    r.space.back = true;
    vi.advanceTimersByTime(100);
    expect(r.storage.held()).toBe('cannot_write');
    expect(r.alerts.map((a) => a.level)).toEqual(['error']);
    vi.advanceTimersByTime(100);
    expect(r.storage.allowed()).toBe(true);
    expect(r.alerts.map((a) => a.message)).toEqual([expect.stringContaining('read-only'), 'The data directory is writable again: sending has resumed.']);
  });

  it('a read-only directory on a nearly full disk is still said as read-only', () => {
    // Guards: the nearly-full rule applied to every failure, not only to "disk I/O error".
    vi.spyOn(fs, 'statfsSync').mockReturnValue({ bavail: 1, bsize: 1024 } as fs.StatsFs);
    const r = rig();
    expect(r.storage.report(err('SQLITE_READONLY'), 'sending')).toMatch(/has become read-only/);
    expect(r.storage.held()).toBe('cannot_write');
  });

  it('an error that is not about storage is not its business: no message, nothing held, nothing said', () => {
    // Guards: every error treated as a storage failure (sending paused for a typo in SQL).
    const r = rig();
    expect(r.storage.report(err('SQLITE_ERROR', 'no such column: x'), 'sending')).toBeNull();
    expect(r.storage.report(new Error('plain'), 'sending')).toBeNull();
    expect(r.storage.report(null, 'sending')).toBeNull();
    expect(r.storage.allowed()).toBe(true);
    expect(r.alerts).toHaveLength(0);
  });

  it('a full disk outranks a directory it cannot write, and a damaged database outranks both', async () => {
    // Guards: the order of held() changed (the outbox's "paused:" reason would name the lesser cause).
    const r = rig();
    r.storage.report(err('SQLITE_READONLY'), 'sending');
    r.storage.report(FULL, 'sending');
    expect(r.storage.held()).toBe('disk_full');
    r.storage.report(err('SQLITE_CORRUPT', 'database disk image is malformed'), 'sending');
    await vi.waitFor(() => expect(r.storage.damaged?.detail).not.toBe('checking what is damaged'));
    expect(r.storage.held()).toBe('damaged');
  });
});

describe('StorageHealth: restores and the check at start', () => {
  it('holds sending while a restore runs ("restoring"), and resumes after', () => {
    // Guards: pause() not holding, unpause() not resuming the held work.
    const r = rig();
    r.storage.pause();
    expect(r.storage.held()).toBe('restoring');
    expect(r.storage.allowed()).toBe(false);
    r.storage.unpause();
    expect(r.storage.allowed()).toBe(true);
    expect(r.resumed()).toBe(1);
  });

  it('holds sending while the quick check at start runs, and lets go when it finds nothing', async () => {
    // Guards: sending allowed before the check ends; not resumed after a sound check.
    const r = rig();
    let finish!: (o: { problems: string[] }) => void;
    const done = r.storage.checkAtStart(() => new Promise((res) => (finish = res)));
    expect(r.storage.held()).toBe('checking');
    expect(r.storage.allowed()).toBe(false);
    finish({ problems: [] });
    await done;
    expect(r.storage.held()).toBeNull();
    expect(r.resumed()).toBe(1);
    expect(r.alerts).toHaveLength(0);
  });

  it('a check that could not run off the main thread runs on the app’s own connection', async () => {
    // Guards: a failed worker check taken as "sound" without checking, or as damage.
    const r = rig();
    const check = vi.spyOn(r.db, 'pragma');
    await r.storage.checkAtStart(async () => ({ failed: 'no worker' }));
    expect(check).toHaveBeenCalledWith('quick_check(10)');
    expect(r.storage.allowed()).toBe(true);
  });

  it('a check that throws, or finds damage with no backups to repair from, stops sending and says the file and the damage', async () => {
    // Guards: a failed check treated as sound; the damage detail or the file left out; resumed anyway.
    const r = rig();
    await r.storage.checkAtStart(async () => {
      throw new Error('worker crashed');
    });
    expect(r.storage.held()).toBe('damaged');
    expect(r.resumed()).toBe(0);
    expect(r.alerts).toEqual([
      {
        level: 'error',
        message: `The database is damaged: ${path.join(r.dir, 'console.sqlite3')} (worker crashed). Sending has stopped so that nothing is sent twice. Open “Data health” to restore the newest good backup.`,
        at: expect.any(String),
      },
    ]);
    const r2 = rig();
    await r2.storage.checkAtStart(async () => ({ problems: ['one', 'two', 'three', 'four'] }));
    expect(r2.storage.damaged?.detail).toBe('one; two; three');
  });

  it('damage met by a write with no backups to repair from: held and said at once, once; a restore lets go and says so', async () => {
    // Guards: sending not held; a second alert per failed write; clearDamaged silent or resuming nothing.
    const r = rig();
    const first = r.storage.report(err('SQLITE_CORRUPT', 'database disk image is malformed'), 'sending');
    expect(first).toBe(r.storage.damagedMessage('database disk image is malformed'));
    expect(r.storage.held()).toBe('damaged');
    expect(r.alerts).toHaveLength(1);
    expect(r.storage.damaged?.detail).toBe('database disk image is malformed');
    expect(r.storage.report(err('SQLITE_NOTADB'), 'sending')).toBe(r.storage.damagedMessage('database disk image is malformed'));
    expect(r.alerts).toHaveLength(1);
    r.storage.clearDamaged();
    expect(r.storage.damaged).toBeNull();
    expect(r.alerts.at(-1)).toMatchObject({ level: 'warning', message: 'The database was restored from a backup; sending has resumed.' });
    r.storage.clearDamaged(); // nothing damaged: nothing to say
    expect(r.alerts).toHaveLength(2);
  });

  it('damage met by a write is described by what SQLite’s check finds, not by the error of the write', async () => {
    // Guards: the check skipped (the agent would read "malformed" instead of what is damaged).
    const r = rig();
    vi.spyOn(r.db, 'pragma').mockReturnValue([{ quick_check: 'row 5 missing from index outbox_ready' }, { quick_check: 'row 6 missing from index outbox_ready' }]);
    r.storage.report(err('SQLITE_CORRUPT', 'database disk image is malformed'), 'sending');
    expect(r.storage.damaged?.detail).toBe('row 5 missing from index outbox_ready; row 6 missing from index outbox_ready');
  });

  it('with backups: damage only to an index is rebuilt from its table, said as such with where the damaged file is kept, and sending goes on', async () => {
    // Guards: an index-only damage stopping sending; the repair message missing what or where; not resuming.
    const kept: string[] = [];
    const backups = { keepDamaged: (f: string) => (kept.push(f), '/kept/damaged.sqlite3') } as unknown as Backups;
    const r = rig({ backups });
    const index = (r.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL LIMIT 1`).get() as { name: string }).name;
    // Held, and said as being examined, until the repair is done.
    expect(r.storage.report(err('SQLITE_CORRUPT_INDEX', `row 1 missing from index ${index}`), 'sending')).toContain('(checking what is damaged)');
    expect(r.storage.held()).toBe('damaged');
    await vi.waitFor(() => expect(r.alerts).toHaveLength(1));
    expect(kept).toEqual([path.join(r.dir, 'console.sqlite3')]);
    expect(r.alerts[0]).toMatchObject({
      level: 'warning',
      message: 'An index of the outbox (sends waiting and sent) was damaged. The app rebuilt it from the outbox (sends waiting and sent) itself, so nothing was lost and no backup was needed; sending goes on. The damaged file is kept at /kept/damaged.sqlite3.',
    });
    expect(r.storage.allowed()).toBe(true);
    expect(r.resumed()).toBe(1);

    // The damaged file could not be kept: the message says nothing of where it is.
    const r2 = rig({ backups: { keepDamaged: () => null } as unknown as Backups });
    r2.storage.report(err('SQLITE_CORRUPT_INDEX', `row 1 missing from index ${index}`), 'sending');
    await vi.waitFor(() => expect(r2.alerts).toHaveLength(1));
    expect(r2.alerts[0]!.message).toMatch(/so nothing was lost and no backup was needed; sending goes on\.$/);
  });

  it('a repair that fails unexpectedly is said as damage to the database, and sending stays stopped', async () => {
    // Guards: a throwing repair leaving sending held with no word, or read as repaired.
    const r = rig({ backups: { keepDamaged: () => null } as unknown as Backups });
    const index = (r.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL LIMIT 1`).get() as { name: string }).name;
    // A directory where the rebuilt copy goes: the rebuild and its clean-up both fail.
    fs.mkdirSync(path.join(r.dir, 'console.sqlite3.rebuilt'));
    r.storage.report(err('SQLITE_CORRUPT_INDEX', `row 1 missing from index ${index}`), 'sending');
    await vi.waitFor(() => expect(r.alerts).toHaveLength(1));
    expect(r.storage.damaged?.detail).toBe('damaged: the database');
    expect(r.alerts[0]).toMatchObject({ level: 'error', message: expect.stringContaining('(damaged: the database)') });
    expect(r.storage.held()).toBe('damaged');
  });

  it('with backups: damage to a table is said in the agent’s words and stays stopped; a repair that throws is said as the database', async () => {
    // Guards: table damage "repaired"; the description left out; a throwing repair leaving sending held with no word.
    const r = rig({ backups: { keepDamaged: () => null } as unknown as Backups });
    r.storage.report(err('SQLITE_CORRUPT', 'malformed'), 'sending');
    await vi.waitFor(() => expect(r.alerts).toHaveLength(1));
    expect(r.storage.damaged?.detail).toBe('damaged: the file’s own structure');
    expect(r.alerts[0]!.level).toBe('error');
    expect(r.resumed()).toBe(0);

    const r2 = rig({ backups: { keepDamaged: () => null } as unknown as Backups });
    vi.spyOn(r2.db, 'prepare').mockImplementation(() => {
      throw new Error('unreadable');
    });
    vi.spyOn(r2.db, 'pragma').mockImplementation(() => {
      throw new Error('unreadable');
    });
    await r2.storage.checkAtStart(async () => ({ problems: ['Tree 2 page 3: broken'] }));
    expect(r2.storage.damaged?.detail).toMatch(/^damaged: /);
    expect(r2.storage.held()).toBe('damaged');
  });
});

describe('nearlyFull and the default space probe', () => {
  it('nearlyFull: under 1 MB free is nearly full, 1 MB is not, and a directory it cannot measure is not', () => {
    // Guards: the threshold moved or made inclusive; an unmeasurable disk taken as full (sending paused for good).
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    const statfs = vi.spyOn(fs, 'statfsSync');
    statfs.mockReturnValueOnce({ bavail: 255, bsize: 4096 } as fs.StatsFs);
    expect(nearlyFull(t.dir)).toBe(true);
    statfs.mockReturnValueOnce({ bavail: 256, bsize: 4096 } as fs.StatsFs);
    expect(nearlyFull(t.dir)).toBe(false);
    statfs.mockRestore();
    expect(nearlyFull(path.join(t.dir, 'missing'))).toBe(false);
  });

  it('the probe: room when it can write a file there (and leaves none), no room under 1 MB or when the write fails', () => {
    // Guards: the probe reporting room it did not check, leaving its file behind, or throwing.
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    const probe = defaultSpaceProbe(t.dir);
    expect(probe()).toBe(true);
    expect(fs.readdirSync(t.dir)).toEqual([]);
    const statfs = vi.spyOn(fs, 'statfsSync').mockReturnValueOnce({ bavail: 1, bsize: 4096 } as fs.StatsFs);
    expect(probe()).toBe(false);
    statfs.mockReturnValueOnce({ bavail: 256, bsize: 4096 } as fs.StatsFs);
    expect(probe()).toBe(true); // exactly 1 MB free is room
    statfs.mockRestore();
    const write = vi.spyOn(fs, 'writeFileSync').mockImplementationOnce(() => {
      throw err('ENOSPC');
    });
    expect(probe()).toBe(false);
    // It proves room for a real write (256 KB), not an empty file.
    expect(write).toHaveBeenCalledWith(path.join(t.dir, `.space-probe-${process.pid}`), expect.any(Buffer), { mode: 0o600 });
    expect((write.mock.calls[0]![1] as Buffer).length).toBe(256 * 1024);
    expect(fs.readdirSync(t.dir)).toEqual([]);
    expect(defaultSpaceProbe(path.join(t.dir, 'gone'))()).toBe(false);
  });
});
