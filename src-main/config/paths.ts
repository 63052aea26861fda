import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Postscript Console';
export const DATA_DIR_ENV = 'POSTSCRIPT_CONSOLE_DATA_DIR';

/**
 * The OS user-data directory, the same place Electron's `app.getPath('userData')` picks for this
 * app name, so both shells find the same stores.
 */
export function defaultUserDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

/** `POSTSCRIPT_CONSOLE_DATA_DIR` wins; otherwise the shell's default. */
export function resolveDataDir(fallback: () => string = defaultUserDataDir): string {
  const fromEnv = process.env[DATA_DIR_ENV];
  return fromEnv !== undefined && fromEnv.trim() !== '' ? path.resolve(fromEnv) : fallback();
}
