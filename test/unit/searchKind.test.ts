import { describe, expect, it } from 'vitest';
import { classifySearch } from '../../src-main/db/deliveryLog';

describe('what a search in the log means', () => {
  it.each([
    ['(555) 555-0100', { kind: 'phone', e164: '+15555550100' }],
    ['+44 20 7946 0958', { kind: 'phone', e164: '+442079460958' }],
    ['psc-test-1b2c', { kind: 'external_id', prefix: 'psc-test-1b2c' }],
    ['7ed6c1a2-9f', { kind: 'external_id', prefix: '7ed6c1a2-9f' }],
    ['could not find', { kind: 'text', q: 'could not find' }],
    ['404', { kind: 'text', q: '404' }],
  ])('%s', (q, kind) => {
    expect(classifySearch(q)).toEqual(kind);
  });
});
