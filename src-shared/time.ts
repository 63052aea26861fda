/** Postscript's `occurred_at` format: `%Y-%m-%d %H:%M:%S.%f` in UTC (microseconds). */
export function formatOccurredAt(date: Date): string {
  const iso = date.toISOString(); // 2026-11-24T16:57:21.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

export const OCCURRED_AT_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{1,6}$/;
