/** Keyword checks for the wizard: exact match (case-insensitive) or close suggestions. */

/** Edit distance (insertions, deletions, substitutions), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

export function normalizeKeyword(raw: string): string {
  return raw.trim().toUpperCase();
}

export type KeywordMatch = { ok: true; keyword: string } | { ok: false; suggestions: string[] };

/** Finds the keyword among the shop's; otherwise the closest ones (at most three). */
export function matchKeyword(raw: string, shopKeywords: readonly string[]): KeywordMatch {
  const wanted = normalizeKeyword(raw);
  const exact = shopKeywords.find((k) => normalizeKeyword(k) === wanted);
  if (exact !== undefined) return { ok: true, keyword: exact };
  const ranked = shopKeywords
    .map((k) => {
      const n = normalizeKeyword(k);
      const d = editDistance(wanted, n);
      const related = n.includes(wanted) || wanted.includes(n);
      return { k, score: related ? Math.min(d, 1) : d };
    })
    .filter((x) => x.score <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.score - b.score || a.k.localeCompare(b.k));
  return { ok: false, suggestions: ranked.slice(0, 3).map((x) => x.k) };
}
