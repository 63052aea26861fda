/** The largest number of timestamps inside any window of `ms` (the rate-limit check tests share). */
export function maxInWindow(stamps: readonly number[], ms: number): number {
  const t = [...stamps].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (j < t.length && t[j]! - t[i]! < ms) j++;
    best = Math.max(best, j - i);
  }
  return best;
}
