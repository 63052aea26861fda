/**
 * Two layers, both built from the contract:
 *
 * - `createBridgeApi(transport)`: the named API a shell installs as `window.postscriptConsole`
 *   (one function per channel: `bridge.stores.create(input)`, plus `on(event, listener)`). Its
 *   functions resolve to `IpcResult` envelopes and never throw, because Electron's contextBridge
 *   copies thrown errors without their fields. The Electron preload and the browser shell's bridge
 *   expose this same object, so the renderer cannot tell which shell it runs in.
 * - `createConsoleApi(bridge)`: the renderer's typed wrapper, which unwraps envelopes and throws
 *   `AppError`s a screen can branch on.
 */
import { AppError, isAppErrorData } from '../errors';
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

export interface Transport {
  invoke(channel: string, input: unknown): Promise<IpcResult<unknown>>;
  /** Subscribes to one push event; returns an unsubscribe function. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

type Subscribe = {
  on<E extends PushEventName>(event: E, listener: (payload: PushPayload<E>) => void): () => void;
};

export type BridgeApi = {
  [A in Area]: {
    [M in keyof Contract[A] & string]: (input: InputOf<A, M>) => Promise<IpcResult<OutputOf<A, M>>>;
  };
} & Subscribe;

export type ConsoleApi = {
  [A in Area]: {
    [M in keyof Contract[A] & string]: (input: InputOf<A, M>) => Promise<OutputOf<A, M>>;
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

export function createConsoleApi(bridge: BridgeApi): ConsoleApi {
  const raw = bridge as unknown as Record<string, Record<string, (input: unknown) => Promise<IpcResult<unknown>>>>;
  return buildApi(
    async (name, input) => {
      const [area = '', method = ''] = name.split(':');
      const fn = raw[area]?.[method];
      if (fn === undefined) throw new AppError('internal', `The app has no channel ${name}.`);
      const result = await fn(input);
      if (result.ok) return result.value;
      throw isAppErrorData(result.error)
        ? AppError.fromData(result.error)
        : new AppError('internal', 'The app answered with an unreadable error.');
    },
    (event, listener) => bridge.on(event as PushEventName, listener),
  ) as ConsoleApi;
}

/** The global name both shells install the bridge API under. */
export const API_GLOBAL = 'postscriptConsole';
