import path from 'node:path';
import { afterEach } from 'vitest';
import type { Core, CoreOptions } from '../../src-main/app/core';
import { createCore } from '../../src-main/app/core';
import { KeyFileSecretBox } from '../../src-main/secrets/secretBox';
import type { Area, Delivery, InputOf, IpcResult, MethodOf, OutputOf, OutboxItem } from '../../src-shared/ipc/contract';
import { makeTempDir } from './tmp';

export interface TestCore {
  core: Core;
  dir: string;
  call<A extends Area, M extends MethodOf<A>>(area: A, method: M, input: InputOf<A, M>): Promise<IpcResult<OutputOf<A, M>>>;
  ok<A extends Area, M extends MethodOf<A>>(area: A, method: M, input: InputOf<A, M>): Promise<OutputOf<A, M>>;
  /** Every envelope the router returned, as the renderer would have received it. */
  sentToRenderer: string[];
  /** Waits until an outbox item has finished (delivered, failed, uncertain or cancelled). */
  settled(itemId: number, timeoutMs?: number): Promise<OutboxItem>;
  /** Queues a test send and returns the item once finished, with its attempts from the log (oldest first). */
  sendTest(storeId: string, eventKey: string): Promise<{ item: OutboxItem; attempts: Delivery[] }>;
  close(): Promise<void>;
}

export async function startCore(
  options: {
    dir?: string;
    liveBaseUrl?: string;
    dispatcher?: CoreOptions['dispatcher'];
    env?: NodeJS.ProcessEnv;
    teamPollMs?: number;
    /** Any other core option. */
    more?: Partial<CoreOptions>;
  } = {},
): Promise<TestCore> {
  const tmp = options.dir === undefined ? makeTempDir() : { dir: options.dir, cleanup: () => undefined };
  const core = await createCore({
    dataDir: tmp.dir,
    secrets: new KeyFileSecretBox(tmp.dir),
    // Exports (batch CSVs, reports) stay in the test's own folder, never in the machine's Downloads.
    exportsDir: path.join(tmp.dir, 'exports'),
    ...(options.liveBaseUrl === undefined ? {} : { liveBaseUrl: options.liveBaseUrl }),
    webhookPort: 0, // tests run side by side: each core's listener takes a free port
    // Team mode only where a test asks for it, whatever the environment says.
    env: options.env ?? {},
    ...(options.teamPollMs === undefined ? {} : { teamPollMs: options.teamPollMs }),
    // Short backoff so retry tests take milliseconds; the policy's shape is unchanged.
    dispatcher: options.dispatcher ?? { retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 } },
    ...options.more,
  });
  const sentToRenderer: string[] = [];
  core.bus.onAny((event, payload) => sentToRenderer.push(JSON.stringify({ event, payload })));
  const call = async (area: string, method: string, input: unknown): Promise<IpcResult<unknown>> => {
    const result = await core.router.invoke(`${area}:${method}`, input);
    sentToRenderer.push(JSON.stringify(result));
    return result;
  };
  const ok = (async (area: string, method: string, input: unknown) => {
    const r = await call(area, method, input);
    if (!r.ok) throw new Error(`${area}:${method} failed: ${r.error.code} ${r.error.message}`);
    return r.value;
  }) as TestCore['ok'];
  const settled = async (itemId: number, timeoutMs = 10_000): Promise<OutboxItem> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = core.ctx.outbox.getItem(itemId);
      if (row !== undefined && row.state !== 'queued' && row.state !== 'in_flight') {
        return (await import('../../src-main/handlers/outbox')).toOutboxItem(row);
      }
      if (Date.now() > deadline) throw new Error(`outbox item ${itemId} still ${row?.state} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {
    core,
    dir: tmp.dir,
    sentToRenderer,
    call: call as TestCore['call'],
    ok,
    settled,
    async sendTest(storeId, eventKey) {
      const queued = await ok('tests', 'send', { storeId, eventKey });
      const item = await settled(queued.id);
      const rows = (await ok('deliveries', 'list', { filter: { storeId }, limit: 500 })).rows.filter((d) => d.outboxId === item.id).reverse();
      const attempts = await Promise.all(rows.map((r) => ok('deliveries', 'get', { id: r.id })));
      return { item, attempts };
    },
    async close() {
      await core.close();
      if (options.dir === undefined) tmp.cleanup();
    },
  };
}

/** A `core()` for a test file: each test's cores (fresh data directories) are closed after it. */
export function coresPerTest(): (options?: Parameters<typeof startCore>[0]) => Promise<TestCore> {
  const open: TestCore[] = [];
  afterEach(async () => {
    for (const c of open.splice(0).reverse()) await c.close();
  });
  return async (options = {}) => {
    const c = await startCore(options);
    open.push(c);
    return c;
  };
}
