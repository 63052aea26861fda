/** Runs the browser shell as a real child process (so it can be killed) and calls its IPC over HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Area, InputOf, IpcResult, MethodOf, OutputOf } from '../../src-shared/ipc/contract';
import { BROWSER_SHELL, buildFromSource } from './buildFromSource';

export interface ShellProcess {
  child: ChildProcess;
  origin: string;
  call<A extends Area, M extends MethodOf<A>>(area: A, method: M, input: InputOf<A, M>): Promise<OutputOf<A, M>>;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts the browser shell built from the current source (call `buildFromSource` in `beforeAll` so the build is not timed by a test). */
export async function startShellProcess(dataDir: string, env: Record<string, string>): Promise<ShellProcess> {
  await buildFromSource();
  const child = spawn(process.execPath, [BROWSER_SHELL, '--port', '0', '--no-open'], {
    env: { ...process.env, POSTSCRIPT_CONSOLE_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 30_000;
  while (!/running at (http:\S+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`browser shell did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const launchUrl = /running at (http:\S+)/.exec(out)![1]!;
  const origin = new URL(launchUrl).origin;
  const res = await fetch(launchUrl, { redirect: 'manual' });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return {
    child,
    origin,
    output: () => out,
    async call(area, method, input) {
      const r = await fetch(`${origin}/__ipc/${area}:${String(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, origin },
        body: JSON.stringify(input),
      });
      const result = (await r.json()) as IpcResult<never>;
      if (!result.ok) throw new Error(`${area}:${String(method)}: ${result.error.message}`);
      return result.value;
    },
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}
