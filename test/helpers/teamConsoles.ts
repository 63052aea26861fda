/** Consoles joined to one team database, for team tests. */
import type { TestCore } from './core';

export const PASSPHRASE = 'correct horse battery staple';

export async function eventually<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Joins `c` to the team at `url` as `name`, waits for the connection, enters the passphrase. */
export async function join(c: TestCore, url: string, name: string, passphrase: string | null = PASSPHRASE): Promise<TestCore> {
  await c.ok('team', 'configure', { url, tlsMode: 'disable', caFile: null, agentName: name });
  await eventually(`${name} connected`, async () => (await c.ok('team', 'status', {})).state === 'connected' || undefined);
  if (passphrase !== null) await c.ok('team', 'setPassphrase', { passphrase });
  return c;
}

/** Waits until everything this console recorded has gone up. */
export async function pushed(c: TestCore): Promise<void> {
  await eventually('everything pushed', async () => {
    const s = await c.ok('team', 'status', {});
    return (s.state === 'connected' && s.pending === 0) || undefined;
  }, 10_000);
}
