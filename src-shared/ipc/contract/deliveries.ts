/** Channels of the `deliveries` area: the delivery log, its export, overview and retention. */
import { z } from 'zod';
import { channel, Empty, id } from './channel';
import { DeliveryOutcome } from './common';

export const Delivery = z.object({
  id: z.number().int(),
  storeId: z.string(),
  storeName: z.string(),
  eventKey: z.string(),
  postscriptType: z.string(),
  externalId: z.string(),
  attempt: z.number().int(),
  outcome: DeliveryOutcome,
  requestMethod: z.string(),
  requestUrl: z.string(),
  /** Headers as sent, with every secret masked. */
  requestHeaders: z.record(z.string(), z.string()),
  requestBody: z.string(),
  responseStatus: z.number().int().nullable(),
  responseBody: z.string().nullable(),
  errorCode: z.number().int().nullable(),
  errorMessage: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outboxId: z.number().int().nullable(),
  batchId: z.string().nullable(),
  phone: z.string().nullable(),
  /** This attempt failed and the outbox will try again by itself. */
  willRetry: z.boolean(),
});
export type Delivery = z.infer<typeof Delivery>;

/** A delivery-log list row: everything but bodies and headers (those come with `deliveries.get`). */
export const LogRow = z.object({
  id: z.number().int(),
  storeId: z.string(),
  storeName: z.string(),
  eventKey: z.string(),
  externalId: z.string(),
  phone: z.string().nullable(),
  attempt: z.number().int(),
  outcome: DeliveryOutcome,
  responseStatus: z.number().int().nullable(),
  errorCode: z.number().int().nullable(),
  errorMessage: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  startedAt: z.string(),
  batchId: z.string().nullable(),
  outboxId: z.number().int().nullable(),
  willRetry: z.boolean(),
  /** Team mode: the teammate who made the attempt; null for this console's agent. */
  agentId: z.string().nullable(),
});
export type LogRow = z.infer<typeof LogRow>;

const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'Use a date and time like 2026-11-24T09:00.');
export const LogFilter = z.object({
  storeId: z.string().min(1).max(100).optional(),
  eventKey: z.string().min(1).max(100).optional(),
  outcome: DeliveryOutcome.optional(),
  status: z.number().int().min(100).max(599).optional(),
  batchId: z.string().min(1).max(100).optional(),
  /** Team mode: 'me' for this console's agent, or a teammate's agent id. */
  agent: z.string().min(1).max(100).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  /** A phone (any format, matched exactly), an external_id or its start, or text in error messages. */
  q: z.string().trim().min(3, 'Type at least 3 characters to search.').max(200).optional(),
});
export type LogFilter = z.infer<typeof LogFilter>;

export const LogStats = z.object({
  dbBytes: z.number().int(),
  oldestAt: z.string().nullable(),
  retentionDays: z.number().int(),
});
export type LogStats = z.infer<typeof LogStats>;

export const deliveriesChannels = {
  /** Newest first, filtered, paged by key: pass the last row's id as `beforeId` for the next page. */
  list: channel(
    z.object({
      filter: LogFilter.default({}),
      beforeId: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.object({ rows: z.array(LogRow), nextBeforeId: z.number().int().nullable() }),
  ),
  /** One attempt in full, with a curl command that repeats it (key masked). */
  get: channel(z.object({ id: z.number().int().positive() }), Delivery.extend({ curl: z.string() })),
  /** Sends again, through the outbox, the events of these rows or of every row the filter matches (at most 1,000). */
  resend: channel(
    z.object({
      ids: z.array(z.number().int().positive()).min(1).max(1000).optional(),
      filter: LogFilter.optional(),
      /** Only counts what would be sent (to ask the agent once, with the number). */
      dryRun: z.boolean().optional(),
    }),
    /** `note`: in a team, the failed sends left out because someone already re-sent them (who, when). */
    z.object({ queued: z.number().int(), skipped: z.number().int(), note: z.string().nullable() }),
  ),
  /** Starts writing the filtered rows to a file in the background; progress arrives as push events. */
  export: channel(z.object({ filter: LogFilter.default({}), format: z.enum(['csv', 'json']) }), z.object({ jobId: z.string(), path: z.string() })),
  overview: channel(
    z.object({ storeId: id.optional(), hours: z.number().int().min(1).max(24 * 90).default(48) }),
    z.object({
      summary: z.array(
        z.object({
          storeId: z.string(),
          storeName: z.string(),
          eventKey: z.string(),
          lastSuccessAt: z.string().nullable(),
          lastFailureAt: z.string().nullable(),
          lastFailureMessage: z.string().nullable(),
          attempts: z.number().int(),
        }),
      ),
      /** Attempts per hour, one series per outcome, aligned with `hours` (ISO hour starts). */
      histogram: z.object({ hours: z.array(z.string()), series: z.array(z.object({ outcome: DeliveryOutcome, counts: z.array(z.number().int()) })) }),
    }),
  ),
  stats: channel(Empty, LogStats),
  /** Keep this many days of attempts; older ones are pruned in the background. */
  setRetention: channel(z.object({ days: z.number().int().min(1, 'Keep at least 1 day.').max(3650) }), LogStats),
} as const;
