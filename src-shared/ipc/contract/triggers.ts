/** Channels of the `triggers` area: which Skio events a store sends, and their settings. */
import { z } from 'zod';
import { channel, id } from './channel';
import { daysBeforeRule, DeliveryOutcome } from './common';

export const TriggerState = z.object({
  eventKey: z.string(),
  /** The merchant also sends this event through SkioSMS: the subscriber could get two texts. */
  skioSmsAlso: z.boolean(),
  /** Test sends waiting in the outbox (queued or in flight) for this event. */
  pending: z.number().int(),
  /** Sends Postscript answered whose answers are not saved yet (full disk, damaged database): not pending, not to be resent. */
  unrecorded: z.number().int().optional(),
  enabled: z.boolean(),
  settings: z.object({ daysBefore: z.number().int().optional() }),
  lastSuccessAt: z.string().nullable(),
  lastOutcome: DeliveryOutcome.nullable(),
  lastError: z.string().nullable(),
});
export type TriggerState = z.infer<typeof TriggerState>;

export const triggersChannels = {
  set: channel(
    z.object({
      storeId: id,
      eventKey: id,
      enabled: z.boolean().optional(),
      daysBefore: z.number().superRefine(daysBeforeRule).optional(),
      skioSmsAlso: z.boolean().optional(),
    }),
    TriggerState,
  ),
} as const;
