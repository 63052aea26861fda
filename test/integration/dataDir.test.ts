/**
 * One app per data directory, private files, and messages that name the cause: a second copy is
 * refused with who holds the directory and where to open it, touching nothing; a dead owner's lock
 * is taken over; the directory is 0700 and every file with personal data 0600; a read-only
 * directory (holding data, or empty) says "read-only: <path>".
 */
import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataDirError, DataDirLock, LOCK_FILE } from '../../src-main/app/dataDir';
import { Sandbox } from '../../src-main/sandbox/server';
import { SANDBOX_STATE_FILE } from '../../src-main/sandbox/stateFile';
import { BROWSER_SHELL, BUILD_TIMEOUT_MS, buildFromSource } from '../helpers/buildFromSource';
import { coresPerTest, startCore } from '../helpers/core';
import { startShellProcess } from '../helpers/shellProcess';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();

/** Runs the browser shell (built from source by `buildFromSource`) until it exits (it should: these are refusals). */
function runShell(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BROWSER_SHELL, '--port', '0', '--no-open'], { env: { ...process.env, POSTSCRIPT_CONSOLE_DATA_DIR: dir, POSTSCRIPT_CONSOLE_WEBHOOK_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
const mode = (file: string): number => fs.statSync(file).mode & 0o777;
const refusal = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (err: unknown) => err,
  );

/** The Sandbox's shops as its state file holds them (read-only, beside the app's own connection). */
function sandboxShopsIn(dir: string): unknown[] {
  const db = new Database(path.join(dir, SANDBOX_STATE_FILE), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, json FROM shops ORDER BY id').all();
  } finally {
    db.close();
  }
}

describe('one app per data directory', () => {
  it('a second core on the same directory is refused with the holder and its URL, and touches nothing', async () => {
    const first = await core();
    first.core.lock.setUrl('http://127.0.0.1:5173/?token=abc');
    const s = await first.ok('stores', 'create', { name: 'Held', shopDomain: 'held', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await first.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_created', enabled: true });
    // A send in flight in the first copy (the Sandbox answers slowly).
    await first.ok('sandbox', 'setFaults', { delayMs: 400 });
    const item = await first.ok('tests', 'send', { storeId: s.id, eventKey: 'subscription_created' });
    const stateBefore = sandboxShopsIn(first.dir);

    const err = await refusal(startCore({ dir: first.dir }));
    expect(err).toBeInstanceOf(DataDirError);
    expect((err as DataDirError).kind).toBe('in_use');
    expect((err as Error).message).toContain(`process ${process.pid}`);
    expect((err as Error).message).toContain('Open it at http://127.0.0.1:5173/?token=abc');

    // The first copy's send was not touched by a start-up recovery: it is delivered, once.
    const done = await first.settled(item.id);
    expect(done.state).toBe('delivered');
    expect(first.core.ctx.sandbox.state.data.events.filter((e) => e.body.external_id === item.externalId)).toHaveLength(1);
    expect(sandboxShopsIn(first.dir)).toEqual(stateBefore);
  });

  it('a lock left by a process that died (kill -9) is taken over', async () => {
    const tmp = makeTempDir();
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.once('exit', r));
    fs.writeFileSync(path.join(tmp.dir, LOCK_FILE), JSON.stringify({ pid, host: (await import('node:os')).hostname(), url: null, startedAt: '2026-01-01T00:00:00Z' }));
    const c = await core({ dir: tmp.dir });
    expect(JSON.parse(fs.readFileSync(path.join(tmp.dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await c.close();
    expect(fs.existsSync(path.join(tmp.dir, LOCK_FILE))).toBe(false); // released at close
    tmp.cleanup();
  });
});

describe('two browser shells on one data directory', () => {
  beforeAll(buildFromSource, BUILD_TIMEOUT_MS);
  it('the second is refused with the first one\'s process and URL; the first one\'s in-flight send is untouched and delivered once', { timeout: 60_000 }, async () => {
    const tmp = makeTempDir('psc-two-');
    const postscript = new Sandbox();
    const url = await postscript.listen(0);
    const first = await startShellProcess(tmp.dir, { POSTSCRIPT_LIVE_BASE_URL: url, POSTSCRIPT_CONSOLE_WEBHOOK_PORT: '0' });
    try {
      // The listener's address is printed beside the app's URL.
      expect(first.output()).toMatch(/Webhook listener: http:\/\/127\.0\.0\.1:\d+\/postscript\/webhooks/);
      const { api_key } = (await (await fetch(`${url}/_sandbox/shops`, { method: 'POST', body: JSON.stringify({ name: 'Two Copies' }) })).json()) as { api_key: string };
      const s = await first.call('stores', 'create', { name: 'Two Copies', shopDomain: 'two-copies', account: 'live', testPhone: '+15555550100', credential: { kind: 'paste', apiKey: api_key } });
      await first.call('triggers', 'set', { storeId: s.id, eventKey: 'subscription_created', enabled: true });
      postscript.setFaults({ delayMs: 4000 }); // the send stays in flight while the second copy starts
      const item = await first.call('tests', 'send', { storeId: s.id, eventKey: 'subscription_created' });
      const launchUrl = /running at (http:\S+)/.exec(first.output())![1]!;

      const second = await runShell(tmp.dir);
      expect(second.code).toBe(1);
      expect(second.output).toContain('already running on this data directory');
      expect(second.output).toContain(`process ${first.child.pid}`);
      expect(second.output).toContain(`Open it at ${launchUrl}`);

      // Still in flight, not turned "uncertain" by a second start-up recovery.
      let state = await first.call('outbox', 'status', {});
      expect(state).toMatchObject({ waiting: 1, uncertain: 0 });
      for (let i = 0; i < 300 && state.waiting > 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        state = await first.call('outbox', 'status', {});
      }
      expect(state).toMatchObject({ waiting: 0, uncertain: 0 });
      const log = await first.call('deliveries', 'list', { filter: { storeId: s.id } });
      expect(log.rows.map((r) => r.outcome)).toEqual(['delivered']);
      expect(postscript.state.data.events.filter((e) => e.body.external_id === item.externalId)).toHaveLength(1);
    } finally {
      await first.kill('SIGTERM');
      await postscript.close();
      tmp.cleanup();
    }
  });
});

describe('private files', () => {
  it('the directory is 0700; the database (+ WAL and shared memory), backups, exports, logs, Sandbox state and lock are 0600', async () => {
    const parent = makeTempDir();
    const dir = path.join(parent.dir, 'Postscript Console');
    const exportsDir = path.join(dir, 'exports');
    const c = await core({ dir, more: { exportsDir } });
    const s = await c.ok('stores', 'create', { name: 'Private', shopDomain: 'private', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    await c.ok('triggers', 'set', { storeId: s.id, eventKey: 'subscription_created', enabled: true });
    await c.sendTest(s.id, 'subscription_created');
    const backups = await c.ok('dataHealth', 'backupNow', {});
    const exp = await c.ok('deliveries', 'export', { format: 'csv' });
    for (let i = 0; i < 200 && !fs.existsSync(exp.path); i++) await new Promise((r) => setTimeout(r, 20));
    const { FaultLog } = await import('../../src-main/logs/faultLog');
    new FaultLog(dir).record('test', new Error('a recorded fault'));

    expect(mode(dir)).toBe(0o700);
    for (const f of ['console.sqlite3', 'console.sqlite3-wal', 'console.sqlite3-shm', SANDBOX_STATE_FILE, `${SANDBOX_STATE_FILE}-wal`, 'secret.key', LOCK_FILE, 'logs/main.log']) {
      expect([f, mode(path.join(dir, f))]).toEqual([f, 0o600]);
    }
    expect(mode(path.join(dir, 'backups'))).toBe(0o700);
    expect(mode(path.join(dir, 'backups', backups.backups[0]!.name))).toBe(0o600);
    expect(mode(exp.path)).toBe(0o600);
    parent.cleanup();
  });

  it('an existing data directory made 0755 by an older version is tightened to 0700', async () => {
    const tmp = makeTempDir();
    fs.chmodSync(tmp.dir, 0o755);
    await core({ dir: tmp.dir });
    expect(mode(tmp.dir)).toBe(0o700);
    tmp.cleanup();
  });
});

function mountTmpfs(dir: string): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0]! : String(err);
  }
}
const probe = makeTempDir('psc-ro-probe-');
const cannotMount = process.platform === 'linux' ? mountTmpfs(probe.dir) : 'not Linux';
if (cannotMount === null) execFileSync('umount', [probe.dir]);
probe.cleanup();
if (cannotMount !== null) console.warn(`Skipping the read-only data directory tests: cannot mount a tmpfs here (${cannotMount}).`);

describe.skipIf(cannotMount !== null)('a read-only data directory says so, with its path', () => {
  beforeAll(buildFromSource, BUILD_TIMEOUT_MS);
  it.each([
    ['holding data', true],
    ['empty', false],
  ])('%s', async (_label, withData) => {
    const mnt = makeTempDir('psc-ro-');
    expect(mountTmpfs(mnt.dir)).toBeNull();
    try {
      const dir = path.join(mnt.dir, 'data');
      fs.mkdirSync(dir);
      if (withData) {
        const c = await startCore({ dir });
        await c.ok('stores', 'create', { name: 'Read Only', shopDomain: 'read-only', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
        await c.close();
      }
      execFileSync('mount', ['-o', 'remount,ro', mnt.dir]);
      // What every shell does first, before its secret key file is read or made.
      const err = await refusal(Promise.resolve().then(() => DataDirLock.acquire(dir)));
      expect(err).toBeInstanceOf(DataDirError);
      expect((err as Error).message).toContain(`read-only: ${dir}`);
      if (withData) expect((await refusal(startCore({ dir })) as Error).message).toContain(`read-only: ${dir}`);
      // The browser shell, as an agent starts it: one clear line, exit 1.
      const { code, output } = await runShell(dir);
      expect(code).toBe(1);
      expect(output).toContain(`read-only: ${dir}`);
      expect(output).not.toMatch(/^\s+at /m); // no stack trace
    } finally {
      execFileSync('umount', ['-l', mnt.dir]);
      mnt.cleanup();
    }
  });
});
