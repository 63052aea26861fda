/**
 * The standalone Sandbox (`npm run sandbox -- --state <file>`) refuses a state file inside the data
 * directory of a running app, naming that app's process and URL, and writes nothing there; a
 * directory whose lock was left by a dead process does not stop it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src-main/app/dataDir';
import { SANDBOX_STATE_FILE } from '../../src-main/sandbox/stateFile';
import { BUILD_TIMEOUT_MS, SANDBOX_CLI, buildFromSource } from '../helpers/buildFromSource';
import { coresPerTest } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';

const core = coresPerTest();

/** Runs the CLI (built from source by `buildFromSource`) until it prints its URL (then stops it) or exits by itself. */
function runCli(stateFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SANDBOX_CLI, '--port', '0', '--state', stateFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const seen = (c: Buffer): void => {
      output += c.toString();
      if (output.includes('Postscript Sandbox listening on')) child.kill('SIGTERM');
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('standalone Sandbox --state', () => {
  beforeAll(buildFromSource, BUILD_TIMEOUT_MS);
  it('refuses a state file in a running app’s data directory, naming its process and URL, and leaves the app’s Sandbox state alone', async () => {
    const app = await core();
    app.core.lock.setUrl('http://127.0.0.1:5173/?token=abc');
    const stateFile = path.join(app.dir, SANDBOX_STATE_FILE);
    await app.ok('stores', 'create', { name: 'Held', shopDomain: 'held', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const before = fs.readFileSync(stateFile, 'utf8');

    const r = await runCli(stateFile);
    expect(r.code).toBe(1);
    expect(r.output).toContain(`is in the data directory of a running Postscript Console (${app.dir}): process ${process.pid}`);
    expect(r.output).toContain('Open it at http://127.0.0.1:5173/?token=abc');
    expect(r.output).not.toContain('listening on');
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(before);
    // A folder below the data directory is inside it too.
    expect((await runCli(path.join(app.dir, 'exports', 'state.json'))).code).toBe(1);
  });

  it('starts when the lock was left by a process that is gone', async () => {
    const tmp = makeTempDir();
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.once('exit', r));
    fs.writeFileSync(path.join(tmp.dir, LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), url: null, startedAt: '2026-01-01T00:00:00Z' }));
    const r = await runCli(path.join(tmp.dir, SANDBOX_STATE_FILE));
    expect(r.output).toContain('Postscript Sandbox listening on');
    tmp.cleanup();
  });
});
