/** Keyword matching for the wizard's keyword step: the shop's own keyword, or close suggestions. */
import { describe, expect, it } from 'vitest';
import { checkKeywordText, editDistance, KEYWORD_MAX_LENGTH, matchKeyword } from '../../src-shared/rules/keyword';

describe('keyword matching', () => {
  it('finds the shop’s keyword whatever the case and surrounding spaces, and returns the shop’s own spelling', () => {
    // Guards against a case-sensitive or untrimmed comparison: "join " typed for JOIN would be refused.
    expect(matchKeyword('  join ', ['VIP', 'Join'])).toEqual({ ok: true, keyword: 'Join' });
    expect(matchKeyword('JOIN', ['JOINS'])).toMatchObject({ ok: false });
  });

  it('suggests a keyword up to two edits away for a short word, and not three', () => {
    // Guards against moving the suggestion threshold (max(2, length/3)) down or up, or making it strict.
    expect(matchKeyword('JOIN', ['JXIN', 'JXYN', 'XXYN'])).toEqual({ ok: false, suggestions: ['JXIN', 'JXYN'] });
  });

  it('for a longer word the threshold grows with it: a third of its length', () => {
    // 9 letters: 3 edits suggested, 4 not.
    expect(matchKeyword('ABCDEFGHI', ['ABCDEFXXX', 'ABCDEXXXX'])).toEqual({ ok: false, suggestions: ['ABCDEFXXX'] });
    // 12 letters: 4 edits suggested, 5 not.
    expect(matchKeyword('ABCDEFGHIJKL', ['ABCDEFGHXXXX', 'ABCDEFGXXXXX'])).toEqual({ ok: false, suggestions: ['ABCDEFGHXXXX'] });
  });

  it('a keyword containing the typed word (or contained in it) counts as one edit away', () => {
    // Guards against dropping the "related" rule: VIP typed for VIPCLUB is 4 edits, but it is the one meant.
    expect(matchKeyword('VIP', ['VIPCLUB', 'ZZZ'])).toEqual({ ok: false, suggestions: ['VIPCLUB'] });
    expect(matchKeyword('SUMMERSALE', ['SALE'])).toEqual({ ok: false, suggestions: ['SALE'] });
  });

  it('offers at most three, closest first, ties in alphabetical order', () => {
    // Guards against unsorted or unlimited suggestions.
    expect(matchKeyword('JOIN', ['JOINX', 'JOXN', 'AOIN', 'JXXN', 'JOI'])).toEqual({ ok: false, suggestions: ['AOIN', 'JOI', 'JOINX'] });
    // AOXN is two edits away: alphabetically first, but after every one-edit keyword.
    expect(matchKeyword('JOIN', ['JOXN', 'JOIX', 'AOXN', 'JOIM'])).toEqual({ ok: false, suggestions: ['JOIM', 'JOIX', 'JOXN'] });
  });

  it('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('KITTEN', 'SITTING')).toBe(3);
    expect(editDistance('', 'ABC')).toBe(3);
    expect(editDistance('ABC', '')).toBe(3);
    expect(editDistance('SAME', 'SAME')).toBe(0);
    expect(editDistance('AB', 'BA')).toBe(2);
  });

  it('a keyword of 60 characters is accepted, 61 refused', () => {
    // Found by mutation testing: guards against the limit becoming strict (a 60-character keyword refused).
    expect(KEYWORD_MAX_LENGTH).toBe(60);
    expect(checkKeywordText('A'.repeat(60))).toEqual({ ok: true, keyword: 'A'.repeat(60) });
    expect(checkKeywordText('A'.repeat(61))).toMatchObject({ ok: false, message: 'A keyword has at most 60 characters.' });
  });
});
