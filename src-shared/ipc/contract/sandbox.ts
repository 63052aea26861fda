/** Channels of the `sandbox` area: the in-process Postscript Sandbox's status and fault injection. */
import { z } from 'zod';
import { channel, Empty, id } from './channel';

export const SandboxFaults = z.object({
  /** Share of API requests answered 429 / 3002 (0..1). */
  rate429: z.number().min(0).max(1).default(0),
  /** Share of API requests answered 500/502/503 (0..1). */
  rate5xx: z.number().min(0).max(1).default(0),
  /** Share of API requests whose connection is dropped without an answer (0..1). */
  dropRate: z.number().min(0).max(1).default(0),
  /** Extra latency added to every API request, in ms. */
  delayMs: z.number().int().min(0).max(120_000).default(0),
  /** Network legs, each with its own delay (ms) and ± jitter: request to the Sandbox, answer back. */
  requestDelayMs: z.number().int().min(0).max(120_000).default(0),
  responseDelayMs: z.number().int().min(0).max(120_000).default(0),
  jitterMs: z.number().int().min(0).max(60_000).default(0),
  /** A link that goes down for flapDownMs every flapUpMs + flapDownMs (0 = off). */
  flapUpMs: z.number().int().min(0).max(600_000).default(0),
  flapDownMs: z.number().int().min(0).max(600_000).default(0),
  /** Share of connections lost (0..1): the request or its answer never makes it. */
  lossRate: z.number().min(0).max(1).default(0),
  /** Apply the faults to the next N API requests only; null = until cleared. */
  remaining: z.number().int().min(0).nullable().default(null),
});
export type SandboxFaults = z.infer<typeof SandboxFaults>;

export const SandboxStatus = z.object({
  running: z.boolean(),
  baseUrl: z.string().nullable(),
  shopName: z.string().nullable(),
  faults: SandboxFaults,
  /** Event types the Sandbox has received, with counts: what Postscript's flow builder would list. */
  eventTypes: z.array(z.object({ type: z.string(), count: z.number().int(), lastReceivedAt: z.string() })),
});
export type SandboxStatus = z.infer<typeof SandboxStatus>;

/** A subscriber seeded in a Sandbox shop, offered as its Test Event User. */
export const SandboxSubscriber = z.object({ phone: z.string(), subscriberId: z.string(), transactional: z.boolean() });
export type SandboxSubscriber = z.infer<typeof SandboxSubscriber>;

export const sandboxChannels = {
  status: channel(Empty, SandboxStatus),
  /** The subscribers of a Sandbox store's shop (empty for a live store, or a shop the Sandbox no longer has). */
  subscribers: channel(z.object({ storeId: id }), z.array(SandboxSubscriber)),
  setFaults: channel(SandboxFaults.partial(), SandboxStatus),
} as const;
