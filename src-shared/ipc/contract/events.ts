/** Push events from main to the renderer (not channels: main sends them unasked). */
import { z } from 'zod';
import { healthAlertEvent } from './readiness';

export const Topic = z.enum(['stores', 'triggers', 'deliveries', 'sandbox', 'outbox', 'batches', 'logStats', 'skip', 'draft', 'storeHealth', 'team', 'settings']);
export type Topic = z.infer<typeof Topic>;

export const pushEvents = {
  /** Something changed in main; stores on these topics refetch. */
  changed: z.object({
    topics: z.array(Topic),
    storeId: z.string().optional(),
    /** When given, only these stores changed (rows to refetch); without it, anything may have. */
    storeIds: z.array(z.string()).optional(),
  }),
  /** Progress of a background job (an export, a prune). */
  progress: z.object({
    jobId: z.string(),
    kind: z.enum(['export', 'prune']),
    done: z.number().int(),
    total: z.number().int().nullable(),
    finished: z.boolean(),
    path: z.string().optional(),
    error: z.string().optional(),
  }),
  /** Something went wrong that the agent must hear about (an error that escaped its guard, a full disk). */
  alert: z.object({ level: z.enum(['error', 'warning', 'info']), message: z.string(), at: z.string() }),
  /** A store turned red in the health watch. */
  healthAlert: healthAlertEvent,
} as const;
export type PushEvents = typeof pushEvents;
export type PushEventName = keyof PushEvents;
export type PushPayload<E extends PushEventName> = z.output<PushEvents[E]>;
