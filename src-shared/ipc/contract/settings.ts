/** The Settings screen's channels (combined into the one contract in contract.ts). */
import { z } from 'zod';
import { channel, Empty } from './channel';

export const SettingSource = z.enum(['app', 'env', 'launch', 'system', 'default']);
export type SettingSource = z.infer<typeof SettingSource>;

/** One setting: what the app has saved, what is in use now, and why. */
export const SettingField = z.object({
  saved: z.string().nullable(),
  effective: z.string().nullable(),
  source: SettingSource,
  /** Said next to the field, e.g. that an environment variable wins over it. */
  note: z.string().nullable(),
});
export type SettingField = z.infer<typeof SettingField>;

export const SettingsView = z.object({
  liveBaseUrl: SettingField,
  /** Scheme, host and port only: credentials are never in it. */
  proxyUrl: SettingField,
  proxyUsername: z.string().nullable(),
  /** A mask like `••••` when a proxy password is saved, else null. The password never leaves main. */
  proxyPasswordMask: z.string().nullable(),
  noProxy: z.string().nullable(),
  /** Which "no proxy" list is in force when the environment sets one (NO_PROXY), in words; else null. */
  noProxyNote: z.string().nullable(),
  caFile: SettingField.extend({ subjects: z.array(z.string()) }),
  listenerHost: SettingField,
  listenerPort: SettingField,
  retentionDays: z.number().int(),
});
export type SettingsView = z.infer<typeof SettingsView>;

const text = (max: number) => z.string().max(max).nullable().optional();

/** Only the fields given change; null (or an empty string) returns a field to its default. */
export const SaveSettingsInput = z.object({
  liveBaseUrl: text(500),
  proxyUrl: text(500),
  proxyUsername: text(200),
  /** Omitted: keep the saved password; null: remove it. */
  proxyPassword: text(500),
  noProxy: text(1000),
  caFile: text(1000),
  listenerHost: text(255),
  listenerPort: z.number().int().min(0, 'A port is 0 to 65535.').max(65535, 'A port is 0 to 65535.').nullable().optional(),
  retentionDays: z.number().int().min(1, 'Keep at least 1 day.').max(3650).optional(),
});
export type SaveSettingsInput = z.input<typeof SaveSettingsInput>;

export const ConnectionCheck = z.object({
  ok: z.boolean(),
  /** What happened, in the agent's words (which proxy, which certificate problem, and what to do). */
  message: z.string(),
  /** The route the check took: the proxy and who set it, or direct and why. */
  via: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheck>;

export const settingsChannels = {
  get: channel(Empty, SettingsView),
  /** Checks every value first (URL, proxy, CA file, listener port); saves all or nothing, then applies without a restart. */
  save: channel(SaveSettingsInput, SettingsView),
  /** Reaches live Postscript's base URL with the settings in use now and says how it went. */
  checkConnection: channel(Empty, ConnectionCheck),
};
