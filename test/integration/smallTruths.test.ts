/**
 * Small truths after a bad day (issue 19.7): a restart right after kill -9 is not told the dead
 * app is "already running"; a client that drops an upload is not a fault in logs/main.log; an
 * exports folder the app makes is private; "Disk space is back" is said once; the outbox's status
 * says when sending is held because the disk is full.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLock, LOCK_FILE } from '../../src-main/app/dataDir';
import { EventBus } from '../../src-main/ipc/events';
import { startBrowserShell } from '../../src-main/shells/browser/server';
import { StorageHealth } from '../../src-main/storage/health';
import { coresPerTest } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/waitFor';

const core = coresPerTest();
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function tmpDir(): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

/** Blocks (without letting Node reap the child) until /proc says the process is a zombie. */
function waitUntilZombie(pid: number): void {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
    spawnSync('sleep', ['0.01']);
  }
  throw new Error(`process ${pid} did not become a zombie`);
}

describe.skipIf(process.platform !== 'linux')('a restart right after kill -9', () => {
  it('takes over the lock of a killed app that is not yet reaped (a zombie), instead of calling it "already running"', () => {
    const dir = tmpDir();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const pid = child.pid!;
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), url: 'http://127.0.0.1:5173/?token=x', startedAt: new Date().toISOString() }));
    process.kill(pid, 'SIGKILL');
    // Still synchronous: Node's event loop has not reaped it, so the pid still answers kill(pid, 0).
    waitUntilZombie(pid);
    expect(() => process.kill(pid, 0)).not.toThrow();
    const lock = DataDirLock.acquire(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});

describe('a client that drops an upload midway', () => {
  it('is not written to the fault log, and the shell keeps answering', async () => {
    const c = await core();
    const assets = tmpDir();
    fs.writeFileSync(path.join(assets, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
    fs.writeFileSync(path.join(assets, 'bridge.js'), '');
    const faults: string[] = [];
    const shell = await startBrowserShell({ core: c.core, rendererDir: assets, bridgeFile: path.join(assets, 'bridge.js'), token: 'drop-token-0123456789', onFault: (where, err) => faults.push(`${where}: ${String(err)}`) });
    cleanups.push(() => void shell.close());
    const cookie = (await fetch(shell.launchUrl, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
    const { hostname, port, host } = new URL(shell.origin);
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const socket = net.connect({ host: hostname, port: Number(port) }, () => {
          socket.write(
            `POST /__ipc/stores:list HTTP/1.1\r\nhost: ${host}\r\ncookie: ${cookie}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"a":"${'x'.repeat(1000)}`,
          );
          setTimeout(() => socket.destroy(), 20); // gone before the rest of the body
        });
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
      });
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(faults).toEqual([]);
    const res = await fetch(`${shell.origin}/__ipc/app:info`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: shell.origin }, body: '{}' });
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  });
});

describe('an exports folder the app creates', () => {
  it('is private (0700), like the data directory', async () => {
    const parent = tmpDir();
    const exportsDir = path.join(parent, 'named-by-env', 'exports');
    const c = await core({ more: { exportsDir } });
    const exp = await c.ok('deliveries', 'export', { format: 'csv' });
    await waitFor(() => fs.existsSync(exp.path), Boolean);
    expect(fs.statSync(exportsDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(parent, 'named-by-env')).mode & 0o777).toBe(0o700);
  });
});

describe('a full disk, freed', () => {
  it('says "Disk space is back" once, only after the held writes went in, even when the first try finds too little room', async () => {
    const c = await core();
    const bus = new EventBus();
    const alerts: string[] = [];
    bus.onAny((event, payload) => {
      if (event === 'alert') alerts.push((payload as { message: string }).message);
    });
    const space = { back: false };
    const storage = new StorageHealth({ dataDir: c.dir, dbFile: path.join(c.dir, 'console.sqlite3'), db: c.core.db, bus, probe: () => space.back, probeEveryMs: 10 });
    cleanups.push(() => storage.stop());
    // The held writes fail once more at the first "room again" (a probe file fits where SQLite does not).
    let tries = 0;
    storage.onResume(() => {
      tries += 1;
      if (tries === 1) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    storage.report(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), 'sending');
    space.back = true;
    await waitFor(() => tries, (n) => n >= 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(alerts.filter((a) => a.includes('The disk is full'))).toHaveLength(1);
    expect(alerts.filter((a) => a.includes('Disk space is back'))).toHaveLength(1);
    expect(storage.allowed()).toBe(true);
  });
});
