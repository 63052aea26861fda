import { describe, expect, it } from 'vitest';
import { checkSkipWord } from '../../src-shared/rules/skipWord';
import { addDays, fillTemplate, isSkipMessage, smsSize } from '../../src-shared/skip';

describe('SKIP matching (docs/skio-events.md)', () => {
  it.each(['skip', 'SKIP', 'Skip', 'SKIP.', ' Skip! ', 'skip!!', '\tSKIP?\n', '"skip"', 'Skip…'])('%j is a skip', (body) => {
    expect(isSkipMessage(body)).toBe(true);
  });
  it.each(['skip please', 'please skip', 'skipping', 'SKI', 'STOP', '', '   ', 'skip it!', 'sk ip'])('%j is not', (body) => {
    expect(isSkipMessage(body)).toBe(false);
  });
  it('uses the store’s own word', () => {
    expect(isSkipMessage('pause!', 'PAUSE')).toBe(true);
    expect(isSkipMessage('skip', 'PAUSE')).toBe(false);
  });
  it('checks a SKIP word', () => {
    expect(checkSkipWord(' skip ')).toEqual({ ok: true, word: 'SKIP' });
    expect(checkSkipWord('skip it').ok).toBe(false);
  });
});

describe('SMS size', () => {
  it('counts GSM-7: 160 in one segment, 153 per segment after', () => {
    expect(smsSize('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(smsSize('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(smsSize('a'.repeat(306))).toMatchObject({ segments: 2 });
    expect(smsSize('a'.repeat(307))).toMatchObject({ segments: 3 });
  });
  it('counts extension characters twice', () => {
    expect(smsSize('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', characters: 80, units: 160, segments: 1 });
    expect(smsSize('€'.repeat(81))).toMatchObject({ segments: 2 });
  });
  it('switches to UCS-2 for other characters: 70, then 67 per segment', () => {
    expect(smsSize('☕'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(smsSize('☕'.repeat(71))).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(smsSize('Hi 😀')).toMatchObject({ encoding: 'UCS-2', characters: 4, units: 5 });
  });
});

describe('reminder text and dates', () => {
  it('fills merge tags from the payload and leaves unknown ones visible', () => {
    expect(fillTemplate('Renews {{nextBillingDate}}; reply {{skipWord}} {{nope}}', { nextBillingDate: '2030-01-15', skipWord: 'SKIP' })).toBe('Renews 2030-01-15; reply SKIP {{nope}}');
  });
  it('adds days across month and year ends', () => {
    expect(addDays('2030-01-15', 30)).toBe('2030-02-14');
    expect(addDays('2030-12-20', 14)).toBe('2031-01-03');
    expect(addDays('2032-02-28', 1)).toBe('2032-02-29');
  });
});
