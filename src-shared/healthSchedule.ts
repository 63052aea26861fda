/** How the health watch's schedule is said to the agent (the bar above the stores list). */
import type { WatchStatus } from './ipc/contract';

export function hours(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * The schedule in force, for the watch's one-line summary. A launch setting
 * (POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS) wins over the agent's, so the summary shows that one and
 * says what set it; `overrideNote` names the variable in full (too long for the narrow list pane).
 */
export function scheduleText(watch: Pick<WatchStatus, 'settings' | 'intervalOverride'>): string {
  if (!watch.settings.enabled) return 'off';
  const o = watch.intervalOverride;
  if (o === null) return `every ${hours(watch.settings.intervalMinutes)}`;
  return `every ${duration(o.ms)} (set by ${o.setBy.startsWith('POSTSCRIPT_') ? 'an environment variable' : o.setBy})`;
}

/** Under the settings: what overrides them, and that they apply without it. Null when nothing does. */
export function overrideNote(watch: Pick<WatchStatus, 'settings' | 'intervalOverride'>): string | null {
  const o = watch.intervalOverride;
  if (o === null) return null;
  return `${o.setBy} sets the interval to ${duration(o.ms)} at this launch; your setting of ${hours(watch.settings.intervalMinutes)} applies without it.`;
}
