/** Channels of the `skip` area: the SKIP tester (webhook listener, test subscription, simulations). */
import { z } from 'zod';
import { channel, id } from './channel';

export const SkipVariant = z.enum(['skip', 'wrong_signature', 'duplicate', 'skip_please', 'opted_out']);
export type SkipVariant = z.infer<typeof SkipVariant>;

export const InboundWebhook = z.object({
  id: z.number().int(),
  receivedAt: z.string(),
  storeId: z.string().nullable(),
  event: z.string().nullable(),
  eventDataId: z.string().nullable(),
  signature: z.enum(['valid', 'missing', 'wrong', 'not_checked']),
  status: z.number().int(),
  action: z.enum(['skipped', 'ignored', 'duplicate', 'rejected']),
  reason: z.string(),
  fromNumber: z.string().nullable(),
  message: z.string().nullable(),
  beforeDate: z.string().nullable(),
  afterDate: z.string().nullable(),
});
export type InboundWebhook = z.infer<typeof InboundWebhook>;

export const SkipStatus = z.object({
  listener: z.object({ running: z.boolean(), host: z.string(), port: z.number().int().nullable(), url: z.string().nullable(), note: z.string().nullable() }),
  /** Where Postscript should deliver this store's webhooks (through a tunnel, for live). */
  callbackUrl: z.string().nullable(),
  tokenMask: z.string().nullable(),
  tokenFetchedAt: z.string().nullable(),
  skipWord: z.string(),
  /** The SKIP word is also one of the shop's Postscript keywords: replies may never reach us. */
  keywordConflict: z.boolean().nullable(),
  subscription: z.object({ phone: z.string(), nextBillingDate: z.string(), intervalDays: z.number().int(), skippedCount: z.number().int() }).nullable(),
  registrations: z.array(z.object({ id: z.string(), callbackUrl: z.string(), event: z.string(), createdAt: z.string() })),
  /**
   * The listener moved since this store's webhooks were registered, and they still point at the old
   * address (`from`): live stores through their tunnel; Sandbox stores only when re-registering
   * failed (`failed` says why). Cleared by registering again (or Set up) or removing them.
   */
  listenerMoved: z.object({ from: z.string(), to: z.string(), at: z.string(), failed: z.string().nullable() }).nullable(),
  /** "Subscription Next Billing Date Updated" is on: a skip also queues that event. */
  followUpEnabled: z.boolean(),
});
export type SkipStatus = z.infer<typeof SkipStatus>;

export const skipChannels = {
  status: channel(z.object({ storeId: id }), SkipStatus),
  /** Fetches and saves the signing token, makes the test subscription, and (Sandbox) subscribes the listener. */
  setup: channel(z.object({ storeId: id }), SkipStatus),
  setSubscription: channel(
    z.object({
      storeId: id,
      phone: z.string().max(40),
      nextBillingDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2030-01-15.'),
      intervalDays: z.number().int().min(1, 'The interval is at least 1 day.').max(365),
    }),
    SkipStatus,
  ),
  setSkipWord: channel(z.object({ storeId: id, word: z.string().max(40) }), SkipStatus),
  /** Sandbox stores: has the Sandbox deliver a signed incoming message (or a faulty variant) to the listener. */
  simulate: channel(
    z.object({ storeId: id, variant: SkipVariant }),
    z.object({ statuses: z.array(z.number().int().nullable()), rows: z.array(InboundWebhook), before: z.string().nullable(), after: z.string().nullable() }),
  ),
  /** Subscribes an HTTPS URL (a tunnel to the listener) to shop.incoming_message with Postscript. */
  register: channel(z.object({ storeId: id, callbackUrl: z.string().max(2000) }), SkipStatus),
  unregister: channel(z.object({ storeId: id, webhookId: z.string().max(200) }), SkipStatus),
  inbound: channel(
    z.object({ storeId: id.optional(), beforeId: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(50) }),
    z.object({ rows: z.array(InboundWebhook), nextBeforeId: z.number().int().nullable() }),
  ),
  /** The billing reminder as the subscriber would read it, with its length in SMS segments. */
  reminderPreview: channel(
    z.object({ storeId: id, template: z.string().max(2000).optional() }),
    z.object({ template: z.string(), text: z.string(), encoding: z.enum(['GSM-7', 'UCS-2']), characters: z.number().int(), units: z.number().int(), segments: z.number().int() }),
  ),
} as const;
