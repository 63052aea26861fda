/** Schemas more than one area's channels share. */
import { z } from 'zod';
import { daysBeforeProblem } from '../../rules/daysBefore';

export const Account = z.enum(['sandbox', 'live']);
export type Account = z.infer<typeof Account>;

export const DeliveryOutcome = z.enum(['delivered', 'failed', 'rate_limited', 'uncertain']);
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;

/** The `daysBefore` rule (`rules/daysBefore.ts`) as a zod check, for every schema that carries it. */
export function daysBeforeRule(value: number, ctx: z.RefinementCtx): void {
  const problem = daysBeforeProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
}
