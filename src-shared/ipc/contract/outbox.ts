/** Channels of the `outbox` area: every send waits here before any network I/O. */
import { z } from 'zod';
import { channel, Empty } from './channel';

export const OutboxState = z.enum(['queued', 'in_flight', 'delivered', 'failed', 'uncertain', 'cancelled']);
export type OutboxState = z.infer<typeof OutboxState>;

export const OutboxItem = z.object({
  id: z.number().int(),
  storeId: z.string(),
  storeName: z.string(),
  eventKey: z.string(),
  batchId: z.string().nullable(),
  externalId: z.string(),
  state: OutboxState,
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

/** Items per outbox state. */
export const Counts = z.object({
  queued: z.number().int(),
  in_flight: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  uncertain: z.number().int(),
  cancelled: z.number().int(),
});
export type Counts = z.infer<typeof Counts>;

/** Why waiting sends are not going out right now. */
export const WaitKind = z.enum(['rate_limited', 'server_error', 'offline', 'paused', 'disk_full', 'cannot_write', 'damaged', 'checking', 'restoring']);
export type WaitKind = z.infer<typeof WaitKind>;

/** A reason to wait, in the agent's words ("Postscript is rate-limiting this key (429)"), with the next try when one is due. */
export const WaitReason = z.object({
  kind: WaitKind,
  text: z.string(),
  /** When sending is tried again by itself; null when it waits for the agent (paused) or for storage. */
  nextTryAt: z.string().nullable(),
});
export type WaitReason = z.infer<typeof WaitReason>;

export const OutboxStatus = z.object({
  /** False while any endpoint with waiting sends is unreachable. */
  online: z.boolean(),
  offline: z.array(z.object({ endpoint: z.string(), since: z.string(), reason: z.string(), nextTryAt: z.string().nullable() })),
  /** Sends queued or in flight. */
  waiting: z.number().int(),
  /** Of those waiting, how many are held because their batch is paused. */
  paused: z.number().int(),
  uncertain: z.number().int(),
  /** Sends Postscript answered whose answers could not be saved yet (full disk, damaged database). */
  unrecorded: z.number().int(),
  /** Sending held by the app itself ("paused: disk full", a damaged database, the start-up check, a restore); null while it may send. */
  held: WaitReason.nullable(),
  /** Why the waiting sends wait, the most pressing first; empty when nothing waits or they are simply on their way. */
  waits: z.array(WaitReason),
});
export type OutboxStatus = z.infer<typeof OutboxStatus>;

export const outboxChannels = {
  status: channel(Empty, OutboxStatus),
  /** Sends an item again, by hand, as a new outbox item (e.g. after an uncertain attempt). */
  resend: channel(z.object({ itemId: z.number().int().positive() }), OutboxItem),
  /** Probes unreachable endpoints now instead of at the next scheduled try. */
  retryNow: channel(Empty, OutboxStatus),
} as const;
