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
 * The schedule in force. A launch setting (POSTSCRIPT_CONSOLE_HEALTH_INTERVAL_MS) wins over the
 * agent's, so the summary shows that one and names what set it; the agent's setting is kept for later.
 */
export function scheduleText(watch: Pick<WatchStatus, 'settings' | 'intervalOverride'>): string {
  if (!watch.settings.enabled) return 'off';
  const o = watch.intervalOverride;
  if (o === null) return `every ${hours(watch.settings.intervalMinutes)}`;
  return `every ${duration(o.ms)} (set by ${o.setBy}; your setting of ${hours(watch.settings.intervalMinutes)} applies without it)`;
}
