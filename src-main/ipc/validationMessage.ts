/**
 * A refused input in words an agent can act on. The contract's own messages ("Days before must be
 * at least 1.") are already sentences and are shown as they are; zod's built-in ones ("Too big:
 * expected number to be <=599") are rewritten with the field's name in words ("HTTP status must be
 * at most 599."), never its code name ("filter.status").
 */
import type { z } from 'zod';

/** Field names whose words are not just their camelCase split apart. */
const LABELS: Record<string, string> = {
  status: 'HTTP status',
  storeIds: 'Stores',
  storeId: 'Store',
  url: 'Database URL',
  agentName: 'Your name',
  daysBefore: 'Days before',
  apiKey: 'API key',
  shopDomain: 'Shop domain',
};

export function fieldLabel(path: readonly PropertyKey[]): string {
  const last = [...path].reverse().find((p) => typeof p === 'string');
  if (last === undefined) return 'This value';
  const name = String(last);
  if (LABELS[name] !== undefined) return LABELS[name];
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A contract-written message is a sentence: it ends with a full stop or a question mark. */
const isSentence = (message: string): boolean => /[.?!]$/.test(message.trim());

export function validationMessage(issue: z.core.$ZodIssue): string {
  if (isSentence(issue.message)) return issue.message;
  const label = fieldLabel(issue.path);
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string'
        ? `${label} must be at most ${String(issue.maximum)} characters.`
        : issue.origin === 'array' || issue.origin === 'set'
          ? `${label}: choose at most ${String(issue.maximum)}.`
          : `${label} must be at most ${String(issue.maximum)}.`;
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) <= 1
          ? `${label} is required.`
          : `${label} must be at least ${String(issue.minimum)} characters.`
        : issue.origin === 'array' || issue.origin === 'set'
          ? `${label}: choose at least ${String(issue.minimum)}.`
          : `${label} must be at least ${String(issue.minimum)}.`;
    case 'invalid_type':
      // zod leaves the input out of its issues unless asked; its message says what was received.
      return /received undefined/.test(issue.message) ? `${label} is required.` : `${label} must be a ${issue.expected}.`;
    case 'invalid_value':
      return `${label} must be one of: ${issue.values.map(String).join(', ')}.`;
    case 'invalid_format':
      return `${label} is not a valid ${issue.format}.`;
    default:
      return `${label}: ${issue.message}.`;
  }
}
