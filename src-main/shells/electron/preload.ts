/**
 * Sandboxed preload: exposes the named console API (one function per contract channel), never
 * ipcRenderer itself. Bundled with its dependencies because a sandboxed preload cannot require them.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_GLOBAL, createBridgeApi, type Transport } from '../../../src-shared/ipc/api';
import type { IpcResult } from '../../../src-shared/ipc/contract';

const PUSH_CHANNEL = 'console:push';

const transport: Transport = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input) as Promise<IpcResult<unknown>>,
  subscribe(event, listener) {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(PUSH_CHANNEL, handler);
    return () => {
      ipcRenderer.off(PUSH_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld(API_GLOBAL, createBridgeApi(transport));
