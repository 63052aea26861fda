/** The only place that touches ipcMain: binds every contract channel and forwards push events. */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Core } from '../../app/core';

export const PUSH_CHANNEL = 'console:push';

export function bindIpc(core: Core, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  const names = core.router.channelNames();
  for (const name of names) {
    ipcMain.handle(name, (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'internal', message: 'Refused: request from an untrusted frame.' } };
      }
      return core.router.invoke(name, input);
    });
  }
  return () => names.forEach((name) => ipcMain.removeHandler(name));
}

export function forwardPushEvents(core: Core, window: BrowserWindow): () => void {
  return core.bus.onAny((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(PUSH_CHANNEL, event, payload);
  });
}
