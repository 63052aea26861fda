/**
 * The hand-over file: a store's setup without secrets, to set the same store up on another
 * machine. The API key is never in it; the receiving agent enters a key there.
 */
import { z } from 'zod';
import { daysBeforeRule } from './ipc/contract/common';

export const STORE_CONFIG_FORMAT = 'postscript-console.store-config';

export const StoreConfigFile = z.object({
  format: z.literal(STORE_CONFIG_FORMAT),
  version: z.literal(1),
  exportedAt: z.string(),
  store: z.object({
    name: z.string().min(1).max(120),
    shopDomain: z.string().max(300),
    account: z.enum(['sandbox', 'live']),
    keyword: z.string().max(60).nullable(),
    testPhone: z.string().max(40).nullable(),
  }),
  triggers: z
    .array(
      z.object({
        eventKey: z.string().max(100),
        postscriptType: z.string().max(100),
        enabled: z.boolean(),
        daysBefore: z.number().superRefine(daysBeforeRule).optional(),
        skioSmsAlso: z.boolean(),
      }),
    )
    .max(200),
});
export type StoreConfigFile = z.infer<typeof StoreConfigFile>;
