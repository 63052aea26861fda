/**
 * The renderer's typed API. It wraps whatever the shell installed as `window.postscriptConsole`
 * (Electron preload or browser-shell bridge; the renderer does not know which) and throws AppErrors.
 */
import { API_GLOBAL, createConsoleApi, type BridgeApi } from '../src-shared/ipc/api';

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
