/**
 * The keyword rule: what a store's keyword may be, and when two keywords are the same one.
 * Postscript matches keywords without regard to case or surrounding spaces, so this does too,
 * everywhere: the wizard, the readiness check, the SKIP word's conflict, sync validation.
 */

export const KEYWORD_MAX_LENGTH = 60;

/** The form keywords are compared in: trimmed, upper case. */
export function normalizeKeyword(raw: string): string {
  return raw.trim().toUpperCase();
}

/** True when the two are the same Postscript keyword. */
export function sameKeyword(a: string, b: string): boolean {
  return normalizeKeyword(a) === normalizeKeyword(b);
}

/** True when `word` is one of the shop's keywords. */
export function isShopKeyword(word: string, shopKeywords: readonly string[]): boolean {
  const wanted = normalizeKeyword(word);
  return shopKeywords.some((k) => normalizeKeyword(k) === wanted);
}

export type KeywordCheck = { ok: true; keyword: string } | { ok: false; message: string };

/** A keyword as typed (or received from a teammate): not empty, not too long. Whether the shop has it is only Postscript's to say. */
export function checkKeywordText(raw: string): KeywordCheck {
  const keyword = raw.trim();
  if (keyword === '') return { ok: false, message: 'Type the keyword subscribers text to opt in: one of the shop’s Postscript keywords.' };
  if (keyword.length > KEYWORD_MAX_LENGTH) return { ok: false, message: `A keyword has at most ${KEYWORD_MAX_LENGTH} characters.` };
  return { ok: true, keyword };
}

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

export type KeywordMatch = { ok: true; keyword: string } | { ok: false; suggestions: string[] };

/** Finds the keyword among the shop's (in the shop's spelling); otherwise the closest ones (at most three). */
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

/** What the wizard says when the keyword is left blank without choosing to set it later. */
export const KEYWORD_OR_LATER = 'Type the store’s keyword trigger (one of its Postscript keywords, such as JOIN), or choose “Set the keyword later”.';

/**
 * A new store's keyword: typed and well formed, or explicitly left for later (null). Left blank
 * without that choice, it is refused: a store never skips its keyword by accident.
 */
export function checkNewStoreKeyword(raw: string | undefined, later: boolean): KeywordCheck | { ok: true; keyword: null } {
  if (raw === undefined || raw.trim() === '') return later || raw === undefined ? { ok: true, keyword: null } : { ok: false, message: KEYWORD_OR_LATER };
  return checkKeywordText(raw);
}
