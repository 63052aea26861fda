/**
 * The SKIP word rule: what a store's SKIP word may be, and when it clashes with one of the shop's
 * Postscript keywords (a keyword reply may never reach Skio as an incoming message).
 */
import { isShopKeyword } from './keyword';

export type SkipWordCheck = { ok: true; word: string } | { ok: false; message: string };

/** A valid SKIP word: one word of 2–20 letters or digits, kept in upper case. */
export function checkSkipWord(word: string): SkipWordCheck {
  const w = word.trim().toUpperCase();
  if (!/^[A-Z0-9]{2,20}$/.test(w)) return { ok: false, message: 'The SKIP word must be one word of 2–20 letters or digits, like SKIP.' };
  return { ok: true, word: w };
}

/** True when the SKIP word is also one of the shop's keywords (compared as Postscript compares keywords). */
export function skipWordConflicts(skipWord: string, shopKeywords: readonly string[]): boolean {
  return isShopKeyword(skipWord, shopKeywords);
}
