/**
 * The renderer's typed API. It wraps whatever the shell installed as `window.postscriptConsole`
 * (Electron preload or browser-shell bridge; the renderer does not know which) and throws AppErrors.
 */
import type { BridgeApi } from '../src-shared/ipc/api';
import { createConsoleApi } from '../src-shared/ipc/consoleApi';
import { API_GLOBAL } from '../src-shared/ipc/global';

declare global {
  interface Window {
    [API_GLOBAL]: BridgeApi;
  }
}

function bridge(): BridgeApi {
  const b = window[API_GLOBAL];
  if (b === undefined) throw new Error('Postscript Console API is missing: start the app with `npm start`.');
  return b;
}

export const api = createConsoleApi(bridge());
