/** The rules with one home each (src-shared/rules/, db/writeFailure.ts): what main, the renderer and sync all call. */
import { describe, expect, it } from 'vitest';
import { DISK_FULL, writeFailureKind } from '../../src-main/db/writeFailure';
import { isActiveStore, isWatchedStore, selectBatchStores } from '../../src-shared/rules/activeStores';
import { DAYS_BEFORE_MAX, DAYS_BEFORE_MIN, daysBeforeProblem } from '../../src-shared/rules/daysBefore';
import { checkKeywordText, checkNewStoreKeyword, isShopKeyword, KEYWORD_OR_LATER, sameKeyword } from '../../src-shared/rules/keyword';
import { checkSkipWord, skipWordConflicts } from '../../src-shared/rules/skipWord';
import { storeEntryLabel } from '../../src-renderer/state/storeLabel';

describe('keyword rule', () => {
  it('compares keywords as Postscript does: any case, surrounding spaces ignored', () => {
    expect(sameKeyword(' join', 'JOIN ')).toBe(true);
    expect(sameKeyword('JOIN', 'JOINS')).toBe(false);
    expect(isShopKeyword('coffeeclub ', ['JOIN', 'CoffeeClub'])).toBe(true);
    expect(isShopKeyword('HACKED', ['JOIN', 'COFFEECLUB'])).toBe(false);
  });

  it('refuses an empty or blank keyword and one over the length limit, saying what to type', () => {
    expect(checkKeywordText('  ')).toMatchObject({ ok: false, message: expect.stringMatching(/^Type the keyword/) });
    expect(checkKeywordText('x'.repeat(61))).toMatchObject({ ok: false, message: 'A keyword has at most 60 characters.' });
    expect(checkKeywordText(' Join ')).toEqual({ ok: true, keyword: 'Join' });
  });

  it('a new store’s keyword is typed, or explicitly left for later; blank without that choice is refused', () => {
    expect(checkNewStoreKeyword('  ', false)).toEqual({ ok: false, message: KEYWORD_OR_LATER });
    expect(checkNewStoreKeyword('', true)).toEqual({ ok: true, keyword: null });
    expect(checkNewStoreKeyword(undefined, false)).toEqual({ ok: true, keyword: null });
    expect(checkNewStoreKeyword(' vip ', false)).toEqual({ ok: true, keyword: 'vip' });
  });
});

describe('SKIP word rule', () => {
  it('is one word of 2 to 20 letters or digits, kept in upper case', () => {
    expect(checkSkipWord(' pause ')).toEqual({ ok: true, word: 'PAUSE' });
    expect(checkSkipWord('S').ok).toBe(false);
    expect(checkSkipWord('skip it').ok).toBe(false);
    expect(checkSkipWord('A'.repeat(21)).ok).toBe(false);
  });

  it('conflicts with a shop keyword whatever its case or spaces (the same comparison as the keyword rule)', () => {
    expect(skipWordConflicts('SKIP', ['join', ' skip '])).toBe(true);
    expect(skipWordConflicts('SKIP', ['SKIPPED', 'JOIN'])).toBe(false);
    expect(skipWordConflicts('SKIP', [])).toBe(false);
  });
});

describe('daysBefore rule', () => {
  it('allows whole days from 1 to 30 and says what is wrong otherwise', () => {
    expect([DAYS_BEFORE_MIN, DAYS_BEFORE_MAX]).toEqual([1, 30]);
    expect(daysBeforeProblem(1)).toBeNull();
    expect(daysBeforeProblem(30)).toBeNull();
    expect(daysBeforeProblem(0)).toBe('Days before must be at least 1.');
    expect(daysBeforeProblem(31)).toBe('Days before can be at most 30.');
    expect(daysBeforeProblem(2.5)).toBe('Days before must be a whole number of days.');
    expect(daysBeforeProblem('3')).toBe('Days before must be a whole number of days.');
  });
});

describe('which stores the app acts on', () => {
  const store = (id: string, archived: boolean): { id: string; name: string; shopDomain: string; archivedAt: string | null } => ({
    id,
    name: id,
    shopDomain: `${id}.myshopify.com`,
    archivedAt: archived ? '2026-01-01T00:00:00.000Z' : null,
  });
  const all = [store('alpha', false), store('beta', true), store('gamma', false)];

  it('an archived store is not active, as main and the renderer hold it', () => {
    expect(isActiveStore({ archivedAt: null })).toBe(true);
    expect(isActiveStore({ archivedAt: '2026-01-01' })).toBe(false);
    expect(isActiveStore({ archived: false })).toBe(true);
    expect(isActiveStore({ archived: true })).toBe(false);
  });

  it('a batch over all stores takes the active ones only', () => {
    expect(selectBatchStores(all, { kind: 'all' })).toEqual({ stores: [all[0], all[2]], archived: [], unknownDomains: [] });
  });

  it('an archived store named in a CSV or chosen by id is reported as archived, never taken', () => {
    const csv = selectBatchStores(all, { kind: 'csv', csv: 'shop_domain\nalpha.myshopify.com\nbeta.myshopify.com\nzeta.myshopify.com' });
    expect(csv.stores.map((s) => s.id)).toEqual(['alpha']);
    expect(csv.archived.map((s) => s.id)).toEqual(['beta']);
    expect(csv.unknownDomains).toEqual(['zeta.myshopify.com']);
    const ids = selectBatchStores(all, { kind: 'ids', storeIds: ['beta', 'gamma', 'gamma', 'nope'] });
    expect(ids.stores.map((s) => s.id)).toEqual(['gamma']);
    expect(ids.archived.map((s) => s.id)).toEqual(['beta']);
  });

  it('the health watch looks at active stores that finished the wizard', () => {
    expect(isWatchedStore({ setupStep: 'done', archivedAt: null })).toBe(true);
    expect(isWatchedStore({ setupStep: 'done', archivedAt: '2026-01-01' })).toBe(false);
    expect(isWatchedStore({ setupStep: 'test', archivedAt: null })).toBe(false);
  });
});

describe('write failure rule', () => {
  it('a full disk is a full disk whether SQLite or the file system says so', () => {
    for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT']) expect(writeFailureKind({ code })).toBe('full');
    expect(DISK_FULL).toBe('The disk is full');
  });

  it('tells damage, read-only, not writable and I/O failures apart, and leaves other errors alone', () => {
    expect(writeFailureKind({ code: 'SQLITE_CORRUPT' })).toBe('damaged');
    expect(writeFailureKind({ code: 'SQLITE_NOTADB' })).toBe('damaged');
    expect(writeFailureKind({ code: 'SQLITE_READONLY_DBMOVED' })).toBe('read_only');
    expect(writeFailureKind({ code: 'EROFS' })).toBe('read_only');
    expect(writeFailureKind({ code: 'EACCES' })).toBe('not_writable');
    expect(writeFailureKind({ code: 'SQLITE_IOERR_WRITE' })).toBe('io');
    expect(writeFailureKind({ code: 'SQLITE_BUSY' })).toBeNull();
    expect(writeFailureKind({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBeNull();
    expect(writeFailureKind(new Error('no code'))).toBeNull();
    expect(writeFailureKind(null)).toBeNull();
  });
});

describe('store pickers', () => {
  it('name each store with Live or Sandbox, and Archived when it is', () => {
    expect(storeEntryLabel({ name: 'Acme', shopDomain: 'acme.myshopify.com', account: 'live', archived: false })).toBe('Acme (acme.myshopify.com) · Live');
    expect(storeEntryLabel({ name: 'Old', shopDomain: 'old.myshopify.com', account: 'sandbox', archived: true })).toBe('Old (old.myshopify.com) · Sandbox · Archived');
  });
});
