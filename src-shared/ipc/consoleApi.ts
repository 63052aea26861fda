/**
 * The renderer's typed API over the bridge a shell installed (`window.postscriptConsole`): the same
 * areas and methods, but each unwraps its `IpcResult` and throws an `AppError` a screen can branch
 * on. Built from the bridge's own areas and methods, so the renderer needs only the contract's
 * types, not its schemas (zod stays out of the renderer bundle).
 */
import { AppError, isAppErrorData } from '../errors';
import type { BridgeApi, Subscribe } from './api';
import type { Area, Contract, InputOf, IpcResult, OutputOf, PushEventName } from './contract';

export type ConsoleApi = {
  [A in Area]: {
    [M in keyof Contract[A] & string]: (input: InputOf<A, M>) => Promise<OutputOf<A, M>>;
  };
} & Subscribe;

type RawMethod = (input: unknown) => Promise<IpcResult<unknown>>;

export function createConsoleApi(bridge: BridgeApi): ConsoleApi {
  const raw = bridge as unknown as Record<string, unknown>;
  const api: Record<string, unknown> = {};
  for (const area of Object.keys(raw)) {
    const methods = raw[area];
    if (area === 'on' || typeof methods !== 'object' || methods === null) continue;
    const wrapped: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [method, fn] of Object.entries(methods as Record<string, RawMethod>)) {
      wrapped[method] = async (input: unknown) => {
        const result = await fn(input ?? {});
        if (result.ok) return result.value;
        throw isAppErrorData(result.error)
          ? AppError.fromData(result.error)
          : new AppError('internal', 'The app answered with an unreadable error.');
      };
    }
    api[area] = Object.freeze(wrapped);
  }
  api.on = (event: string, listener: (payload: unknown) => void) => bridge.on(event as PushEventName, listener);
  return Object.freeze(api) as ConsoleApi;
}
