/**
 * Runs in the page, before the renderer, in the browser shell only: installs the same named API the
 * Electron preload installs, carried over the loopback HTTP transport instead of Electron IPC.
 */
import { API_GLOBAL, createBridgeApi, type Transport } from '../../../src-shared/ipc/api';
import type { IpcResult } from '../../../src-shared/ipc/contract';

let source: EventSource | null = null;
function events(): EventSource {
  // One connection for all subscriptions; EventSource reconnects by itself after a drop.
  source ??= new EventSource('/__events');
  return source;
}

const transport: Transport = {
  async invoke(channel: string, input: unknown): Promise<IpcResult<unknown>> {
    const res = await fetch(`/__ipc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
    });
    if (res.status === 401) {
      return { ok: false, error: { code: 'internal', message: 'This tab’s session ended. Open the URL printed by `npm start` again.' } };
    }
    if (!res.ok) {
      // The transport's own refusals (413) come as an IPC envelope with words for the agent.
      if ((res.headers.get('content-type') ?? '').startsWith('application/json')) return (await res.json()) as IpcResult<unknown>;
      return { ok: false, error: { code: 'internal', message: `The app answered HTTP ${res.status}: ${await res.text()}` } };
    }
    return (await res.json()) as IpcResult<unknown>;
  },
  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    const handler = (e: MessageEvent<string>): void => listener(JSON.parse(e.data));
    events().addEventListener(event, handler);
    return () => events().removeEventListener(event, handler);
  },
};

Object.defineProperty(window, API_GLOBAL, { value: createBridgeApi(transport), writable: false, configurable: false });
