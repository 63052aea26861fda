/**
 * The `daysBefore` rule (Billing Reminder: how many days before the renewal Skio fires it). Skio's
 * default is 3; the app allows 1 to 30 everywhere: the event row, the IPC input, a hand-over file
 * and a teammate's change.
 */

export const DAYS_BEFORE_MIN = 1;
export const DAYS_BEFORE_MAX = 30;

/** What is wrong with the value, in the agent's words; null when it is allowed. */
export function daysBeforeProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) return 'Days before must be a whole number of days.';
  if (value < DAYS_BEFORE_MIN) return `Days before must be at least ${DAYS_BEFORE_MIN}.`;
  if (value > DAYS_BEFORE_MAX) return `Days before can be at most ${DAYS_BEFORE_MAX}.`;
  return null;
}
