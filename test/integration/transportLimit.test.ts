/**
 * The browser transport's body cap sits above the contract's largest input, so the contract (with
 * its own words) decides: a 750 KB hand-over file imports through the browser shell (its JSON
 * spelling is over 1 MB), one over the contract's limit is refused as "too large: at most N", and
 * a body over the transport's cap gets an IPC error in words, not "internal HTTP 413".
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IPC_BODY, startBrowserShell, type BrowserShell } from '../../src-main/shells/browser/server';
import type { IpcResult } from '../../src-shared/ipc/contract';
import { startCore, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';

let tc: TestCore;
let shell: BrowserShell;
let cookie: string;
const assets = makeTempDir('psc-assets-');

beforeAll(async () => {
  fs.mkdirSync(path.join(assets.dir, 'renderer'));
  fs.writeFileSync(path.join(assets.dir, 'renderer', 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  fs.writeFileSync(path.join(assets.dir, 'bridge.js'), '/* bridge */');
  tc = await startCore();
  shell = await startBrowserShell({ core: tc.core, rendererDir: path.join(assets.dir, 'renderer'), bridgeFile: path.join(assets.dir, 'bridge.js') });
  cookie = (await fetch(shell.launchUrl, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await shell.close();
  await tc.close();
  assets.cleanup();
});

async function invoke(channel: string, body: string): Promise<{ status: number; result: IpcResult<unknown> }> {
  const res = await fetch(`${shell.origin}/__ipc/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: shell.origin }, body });
  return { status: res.status, result: (await res.json()) as IpcResult<unknown> };
}

describe('hand-over files through the browser transport', () => {
  it('a 750 KB hand-over file imports (its JSON body is over 1 MB)', async () => {
    const s = await tc.ok('stores', 'create', { name: 'Big Handover', shopDomain: 'big-handover', account: 'sandbox', testPhone: '+15555550100', credential: { kind: 'sandbox_new_key' } });
    const file = await tc.ok('stores', 'exportConfig', { storeId: s.id });
    await tc.ok('stores', 'remove', { storeId: s.id });
    // Pretty-printed with deep indentation, as an editor might save it: 750 KB of valid JSON.
    const padded = file.json.replace(/,/g, `,\n${' '.repeat(40)}`).padEnd(750_000, '\n');
    expect(padded.length).toBe(750_000);
    const body = JSON.stringify({ json: padded, fileName: 'big.json' });
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
    const { status, result } = await invoke('wizard:importConfig', body);
    expect(status).toBe(200);
    expect(result).toMatchObject({ ok: true, value: { name: 'Big Handover' } });
  });

  it('a file over the contract\'s limit is refused in words: "this file is too large: at most 1,000,000 characters"', async () => {
    const { result } = await invoke('wizard:importConfig', JSON.stringify({ json: ' '.repeat(1_000_001), fileName: 'huge.json' }));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'json' } });
    if (!result.ok) expect(result.error.message).toContain('This file is too large: a hand-over file is at most 1,000,000 characters.');
  });

  it('a body over the transport\'s cap gets an IPC error in words (not "internal HTTP 413")', async () => {
    const { status, result } = await invoke('wizard:importConfig', JSON.stringify({ json: 'x'.repeat(MAX_IPC_BODY), fileName: 'x.json' }));
    expect(status).toBe(413);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'This request is too large: at most 8 MB.' } });
  });
});
