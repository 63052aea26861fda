/** Schemas more than one area's channels share. */
import { z } from 'zod';

export const Account = z.enum(['sandbox', 'live']);
export type Account = z.infer<typeof Account>;

export const DeliveryOutcome = z.enum(['delivered', 'failed', 'rate_limited', 'uncertain']);
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;
