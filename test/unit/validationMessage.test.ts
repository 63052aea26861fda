/** Refused input is told in words: never a field's code name, never zod's own phrasing. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldLabel, validationMessage } from '../../src-main/ipc/validationMessage';
import { LogFilter } from '../../src-shared/ipc/contract/deliveries';

const firstIssue = (schema: z.ZodType, input: unknown): z.core.$ZodIssue => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a refusal');
  return r.error.issues[0]!;
};

describe('validation messages', () => {
  it('rewrites a built-in bound with the field in words', () => {
    expect(validationMessage(firstIssue(LogFilter, { status: 999 }))).toBe('HTTP status must be at most 599.');
    expect(validationMessage(firstIssue(LogFilter, { status: 42 }))).toBe('HTTP status must be at least 100.');
  });

  it('keeps a message the contract wrote, without a code-name prefix', () => {
    const schema = z.object({ daysBefore: z.number().min(1, 'Days before must be at least 1.') });
    expect(validationMessage(firstIssue(schema, { daysBefore: -5 }))).toBe('Days before must be at least 1.');
  });

  it('says what is missing, what type is wanted, and which values are allowed', () => {
    const schema = z.object({ agentName: z.string(), kind: z.enum(['csv', 'json']), storeIds: z.array(z.string()).min(1) });
    expect(validationMessage(firstIssue(schema, {}))).toBe('Your name is required.');
    expect(validationMessage(firstIssue(schema, { agentName: 3 }))).toBe('Your name must be a string.');
    expect(validationMessage(firstIssue(schema, { agentName: 'a', kind: 'xml', storeIds: ['x'] }))).toBe('Kind must be one of: csv, json.');
    expect(validationMessage(firstIssue(schema, { agentName: 'a', kind: 'csv', storeIds: [] }))).toBe('Stores: choose at least 1.');
  });

  it('names nested and list fields by their last name, in words', () => {
    expect(fieldLabel(['filter', 'liveBaseUrl'])).toBe('Live base url');
    expect(fieldLabel(['items', 0])).toBe('Items');
    expect(fieldLabel([])).toBe('This value');
  });
});
