/**
 * `npm run team-db` as a new user runs it: from a private (0700) folder, with `--agents ana,ben`.
 * It prints one URL per agent (their own login), stops on Ctrl-C, and says so when its PostgreSQL
 * dies instead of printing "running" on. (Issue 24: as root, the postgres user cannot enter the
 * folder; the data then lives in the cache folder, said in one line.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/postgres';

const ROOT = path.resolve(__dirname, '../..');
const folders: string[] = [];
afterAll(() => {
  for (const d of folders) fs.rmSync(d, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function teamDb(dir: string, port: number, extra: string[]): Run {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/team-db.mjs'), '--port', String(port), '--dir', dir, ...extra], { cwd: path.dirname(dir), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return { child, out: () => out, exited: new Promise((r) => child.on('exit', (code) => r(code))) };
}

async function until(run: Run, pattern: RegExp, ms = 60_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!pattern.test(run.out())) {
    if (Date.now() > deadline || run.child.exitCode !== null) throw new Error(`team-db did not print ${pattern}: ${run.out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return run.out();
}

describe('npm run team-db', () => {
  it('prints one URL per agent from a private folder, each its own login, and stops on Ctrl-C', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'psc-teamdb-'));
    fs.chmodSync(folder, 0o700);
    folders.push(folder);
    const port = await freePort();
    const run = teamDb(path.join(folder, '.team-db'), port, ['--agents', 'ana,ben']);
    const out = await until(run, /running/);
    const cacheLine = /data is kept in (\S+) /.exec(out);
    if (cacheLine !== null) folders.push(path.dirname(cacheLine[1]!));
    if (process.getuid?.() === 0) expect(out).toContain(`The user postgres cannot enter ${folder}`);
    const ana = /^agent ana: (postgres:\/\/\S+)$/m.exec(out)?.[1];
    const ben = /^agent ben: (postgres:\/\/\S+)$/m.exec(out)?.[1];
    expect(ana).toBeDefined();
    expect(ben).toBeDefined();
    expect(new URL(ana!).username).not.toBe(new URL(ben!).username);
    expect(new URL(ana!).password).not.toBe(new URL(ben!).password);
    const c = new pg.Client({ connectionString: ana! });
    await c.connect();
    expect((await c.query<{ u: string }>('SELECT session_user AS u')).rows[0]!.u).toBe(new URL(ana!).username);
    await c.end();
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.out()).toContain('PostgreSQL stopped.');

    // Later: Ben leaves and Cara joins; Ana's URL stays the same.
    const again = teamDb(path.join(folder, '.team-db'), port, ['--remove-agent', 'ben', '--add-agent', 'cara']);
    const later = await until(again, /running/);
    expect(later).toMatch(/^Removed psc_ben: the login is off/m);
    expect(/^agent ana: (postgres:\/\/\S+)$/m.exec(later)?.[1]).toBe(ana);
    expect(later).toMatch(/^agent cara: postgres:\/\/psc_cara:/m);
    expect(later).not.toMatch(/^agent ben:/m);
    await expect(new pg.Client({ connectionString: ben! }).connect()).rejects.toThrow(/not permitted to log in/);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  }, 180_000);

  it('says so and exits when its PostgreSQL dies', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'psc-teamdb-'));
    folders.push(folder);
    const port = await freePort();
    const run = teamDb(path.join(folder, '.team-db'), port, []);
    const out = await until(run, /running/);
    const cacheLine = /data is kept in (\S+) /.exec(out);
    if (cacheLine !== null) folders.push(path.dirname(cacheLine[1]!));
    const server = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(run.child.pid)]).toString().split('\n').find((l) => l.includes('postgres'));
    expect(server).toBeDefined();
    process.kill(Number(server!.trim().split(/\s+/)[0]), 'SIGKILL');
    expect(await run.exited).toBe(1);
    expect(run.out()).toMatch(/PostgreSQL on port \d+ stopped by itself \(SIGKILL\)/);
  }, 120_000);
});
