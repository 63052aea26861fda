/**
 * What each setting may hold, checked before anything is saved, and which value is in effect:
 * an environment variable (or a launch option) wins over the app's setting, except for the proxy,
 * where the app's setting is the agent's explicit choice and wins over HTTPS_PROXY and the OS.
 */
import { AppError } from '../../src-shared/errors';
import { normalizeProxyUrl, proxyUrlProblem } from '../network/proxyChoice';
import { readCaFile } from '../network/tlsTrust';

export const LIVE_BASE_URL = 'https://api.postscript.io';
export const DEFAULT_WEBHOOK_PORT = 47290;
export const DEFAULT_WEBHOOK_HOST = '127.0.0.1';

export interface SavedSettings {
  liveBaseUrl?: string;
  proxyUrl?: string;
  proxyUsername?: string;
  noProxy?: string;
  caFile?: string;
  listenerHost?: string;
  listenerPort?: number;
}

/** Values given when the app was started (tests, scripts); they win like environment variables. */
export interface LaunchOverrides {
  liveBaseUrl?: string;
  webhookPort?: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function checkBaseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new AppError('invalid_input', `“${raw}” is not a URL. Write it like https://api.postscript.io.`, 'liveBaseUrl');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AppError('invalid_input', 'The live base URL must start with https://.', 'liveBaseUrl');
  // API keys travel in the Authorization header: in clear text only to this machine.
  if (u.protocol === 'http:' && !LOOPBACK.has(u.hostname)) {
    throw new AppError('invalid_input', `Use https:// for ${u.hostname}: over http:// the store’s API key would cross the network unencrypted.`, 'liveBaseUrl');
  }
  if (u.username !== '' || u.password !== '' || u.search !== '' || u.hash !== '') {
    throw new AppError('invalid_input', 'The live base URL is only scheme, host, port and path, like https://api.postscript.io.', 'liveBaseUrl');
  }
  return u.toString().replace(/\/+$/, '');
}

export function checkProxyUrl(raw: string): string {
  const problem = proxyUrlProblem(raw.trim());
  if (problem !== null) throw new AppError('invalid_input', problem, 'proxyUrl');
  return normalizeProxyUrl(raw.trim());
}

export function checkCaFile(raw: string): string {
  try {
    return readCaFile(raw.trim()).path;
  } catch (err) {
    throw new AppError('invalid_input', err instanceof Error ? err.message : String(err), 'caFile');
  }
}

export function checkHost(raw: string): string {
  const host = raw.trim();
  if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(host)) throw new AppError('invalid_input', `“${raw}” is not a host name or IP address.`, 'listenerHost');
  return host;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | null {
  const v = env[name];
  return v === undefined || v.trim() === '' ? null : v.trim();
}

export interface Effective<T> {
  value: T;
  source: 'app' | 'env' | 'launch' | 'default';
  envVar: string | null;
}

export function effectiveBaseUrl(saved: SavedSettings, launch: LaunchOverrides, env: NodeJS.ProcessEnv): Effective<string> {
  if (launch.liveBaseUrl !== undefined) return { value: launch.liveBaseUrl, source: 'launch', envVar: null };
  const e = envValue(env, 'POSTSCRIPT_LIVE_BASE_URL');
  if (e !== null) return { value: e, source: 'env', envVar: 'POSTSCRIPT_LIVE_BASE_URL' };
  if (saved.liveBaseUrl !== undefined) return { value: saved.liveBaseUrl, source: 'app', envVar: null };
  return { value: LIVE_BASE_URL, source: 'default', envVar: null };
}

export function effectiveListenerHost(saved: SavedSettings, env: NodeJS.ProcessEnv): Effective<string> {
  const e = envValue(env, 'POSTSCRIPT_CONSOLE_WEBHOOK_HOST');
  if (e !== null) return { value: e, source: 'env', envVar: 'POSTSCRIPT_CONSOLE_WEBHOOK_HOST' };
  if (saved.listenerHost !== undefined) return { value: saved.listenerHost, source: 'app', envVar: null };
  return { value: DEFAULT_WEBHOOK_HOST, source: 'default', envVar: null };
}

export function effectiveListenerPort(saved: SavedSettings, launch: LaunchOverrides, env: NodeJS.ProcessEnv): Effective<number> {
  if (launch.webhookPort !== undefined) return { value: launch.webhookPort, source: 'launch', envVar: null };
  const e = envValue(env, 'POSTSCRIPT_CONSOLE_WEBHOOK_PORT');
  if (e !== null && Number.isInteger(Number(e))) return { value: Number(e), source: 'env', envVar: 'POSTSCRIPT_CONSOLE_WEBHOOK_PORT' };
  if (saved.listenerPort !== undefined) return { value: saved.listenerPort, source: 'app', envVar: null };
  return { value: DEFAULT_WEBHOOK_PORT, source: 'default', envVar: null };
}

/** The note shown next to a field whose saved value is not the one in use. */
export function overrideNote(e: Effective<unknown>): string | null {
  if (e.source === 'env') return `${e.envVar} is set to ${String(e.value)}: it wins over this setting until it is unset.`;
  if (e.source === 'launch') return `This app was started with ${String(e.value)} for this value: it wins over this setting.`;
  return null;
}
