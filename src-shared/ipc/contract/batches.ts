/** Channels of the `batches` area: send-test batches across many stores. */
import { z } from 'zod';
import { channel, Empty, id } from './channel';
import { Counts, OutboxItem, WaitReason } from './outbox';

export const BatchStatus = z.enum(['running', 'paused', 'cancelled', 'done']);
export const BatchSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: BatchStatus,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  rerunOf: z.string().nullable(),
  /** Team mode: the teammate whose console runs it; null for this console's own. */
  agentId: z.string().nullable(),
  total: z.number().int(),
  counts: Counts,
  /** Items finished per second over the last ten seconds. */
  ratePerSecond: z.number(),
  /** Estimated seconds left at the current rate; null when unknown or finished. */
  etaSeconds: z.number().nullable(),
  /** Why its waiting sends wait (rate limited, offline, paused, disk full…); null when none waits or they are on their way. */
  wait: WaitReason.nullable(),
  /** Why its failed sends failed: the reason most of them ended with, and how many; null when none failed. */
  failedWhy: z.object({ reason: z.string(), count: z.number().int() }).nullable(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const BatchStoreSelection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('ids'), storeIds: z.array(id).min(1, 'Choose at least one store.').max(10_000) }),
  /** Shop domains, one per line or comma-separated (a CSV column pasted or loaded from a file). */
  z.object({ kind: z.literal('csv'), csv: z.string().max(2_000_000) }),
]);
export const BatchEventSelection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('enabled') }),
  z.object({ kind: z.literal('some'), eventKeys: z.array(id).min(1, 'Choose at least one event.').max(100) }),
]);

export const batchesChannels = {
  create: channel(
    z.object({ name: z.string().trim().max(120).optional(), stores: BatchStoreSelection, events: BatchEventSelection }),
    z.object({
      batch: BatchSummary,
      /** Domains from the CSV that match no store here. */
      unknownDomains: z.array(z.string()),
      /** Stores left out because none of the chosen events is enabled for them, or they have no Test Event User. */
      skippedStores: z.array(z.object({ name: z.string(), reason: z.string() })),
    }),
  ),
  list: channel(Empty, z.array(BatchSummary)),
  get: channel(z.object({ batchId: id }), BatchSummary),
  pause: channel(z.object({ batchId: id }), BatchSummary),
  resume: channel(z.object({ batchId: id }), BatchSummary),
  cancel: channel(z.object({ batchId: id }), BatchSummary),
  /** The batch's items in queue order, paged by key. */
  items: channel(
    z.object({ batchId: id, afterId: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(200) }),
    z.object({ rows: z.array(OutboxItem), nextAfterId: z.number().int().nullable() }),
  ),
  /** The batch's items and their state now, as CSV: written to the exports folder (`path`; `filename` is its name there) and returned as text. */
  exportCsv: channel(z.object({ batchId: id }), z.object({ filename: z.string(), csv: z.string(), path: z.string() })),
  /**
   * A new batch with only the items that failed or stayed uncertain. A teammate's batch is re-sent
   * as new items of this console's own outbox (their console never sends them again), only with
   * `takeOver: true`, which the agent gives after confirming how many sends it makes. In a team
   * each failed send is claimed first (re-sent once team-wide): `note` names who already re-sent
   * the ones left out, and when; none left to send is an error saying the same.
   */
  rerunFailed: channel(z.object({ batchId: id, takeOver: z.boolean().default(false) }), BatchSummary.extend({ note: z.string().nullable() })),
} as const;
