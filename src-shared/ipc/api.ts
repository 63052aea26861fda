/**
 * Two layers, both built from the contract:
 *
 * - `createBridgeApi(transport)`: the named API a shell installs as `window.postscriptConsole`
 *   (one function per channel: `bridge.stores.create(input)`, plus `on(event, listener)`). Its
 *   functions resolve to `IpcResult` envelopes and never throw, because Electron's contextBridge
 *   copies thrown errors without their fields. The Electron preload and the browser shell's bridge
 *   expose this same object, so the renderer cannot tell which shell it runs in.
 * - `createConsoleApi(bridge)` (consoleApi.ts): the renderer's typed wrapper, which unwraps
 *   envelopes and throws `AppError`s a screen can branch on. It lives apart so that the renderer
 *   does not load the contract's schemas (zod) just to call channels.
 */
import {
  contract,
  type Area,
  type Contract,
  type InputOf,
  type IpcResult,
  type OutputOf,
  type PushEventName,
  type PushPayload,
} from './contract';

export { API_GLOBAL } from './global';

export interface Transport {
  invoke(channel: string, input: unknown): Promise<IpcResult<unknown>>;
  /** Subscribes to one push event; returns an unsubscribe function. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export type Subscribe = {
  on<E extends PushEventName>(event: E, listener: (payload: PushPayload<E>) => void): () => void;
};

export type BridgeApi = {
  [A in Area]: {
    [M in keyof Contract[A] & string]: (input: InputOf<A, M>) => Promise<IpcResult<OutputOf<A, M>>>;
  };
} & Subscribe;

function buildApi(
  call: (name: string, input: unknown) => Promise<unknown>,
  subscribe: (event: string, listener: (payload: unknown) => void) => () => void,
): unknown {
  const api: Record<string, unknown> = {};
  for (const area of Object.keys(contract) as Area[]) {
    const methods: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const method of Object.keys(contract[area])) {
      const name = `${area}:${method}`;
      methods[method] = (input: unknown) => call(name, input ?? {});
    }
    api[area] = Object.freeze(methods);
  }
  api.on = subscribe;
  return Object.freeze(api);
}

export function createBridgeApi(transport: Transport): BridgeApi {
  return buildApi(
    async (name, input) => {
      try {
        return await transport.invoke(name, input);
      } catch {
        return { ok: false, error: { code: 'internal', message: 'The app’s main process did not answer. Restart the app.' } };
      }
    },
    (event, listener) => transport.subscribe(event, listener),
  ) as BridgeApi;
}
