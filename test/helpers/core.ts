import type { Core } from '../../src-main/app/core';
import { createCore } from '../../src-main/app/core';
import { KeyFileSecretBox } from '../../src-main/secrets/secretBox';
import type { Area, InputOf, IpcResult, MethodOf, OutputOf } from '../../src-shared/ipc/contract';
import { makeTempDir } from './tmp';

export interface TestCore {
  core: Core;
  dir: string;
  call<A extends Area, M extends MethodOf<A>>(area: A, method: M, input: InputOf<A, M>): Promise<IpcResult<OutputOf<A, M>>>;
  ok<A extends Area, M extends MethodOf<A>>(area: A, method: M, input: InputOf<A, M>): Promise<OutputOf<A, M>>;
  /** Every envelope the router returned, as the renderer would have received it. */
  sentToRenderer: string[];
  close(): Promise<void>;
}

export async function startCore(options: { dir?: string; liveBaseUrl?: string } = {}): Promise<TestCore> {
  const tmp = options.dir === undefined ? makeTempDir() : { dir: options.dir, cleanup: () => undefined };
  const core = await createCore({
    dataDir: tmp.dir,
    secrets: new KeyFileSecretBox(tmp.dir),
    ...(options.liveBaseUrl === undefined ? {} : { liveBaseUrl: options.liveBaseUrl }),
  });
  const sentToRenderer: string[] = [];
  core.bus.onAny((event, payload) => sentToRenderer.push(JSON.stringify({ event, payload })));
  const call = async (area: string, method: string, input: unknown): Promise<IpcResult<unknown>> => {
    const result = await core.router.invoke(`${area}:${method}`, input);
    sentToRenderer.push(JSON.stringify(result));
    return result;
  };
  return {
    core,
    dir: tmp.dir,
    sentToRenderer,
    call: call as TestCore['call'],
    ok: (async (area: string, method: string, input: unknown) => {
      const r = await call(area, method, input);
      if (!r.ok) throw new Error(`${area}:${method} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    }) as TestCore['ok'],
    async close() {
      await core.close();
      if (options.dir === undefined) tmp.cleanup();
    },
  };
}
