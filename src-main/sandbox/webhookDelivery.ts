/**
 * The Sandbox playing Postscript's part for webhooks: the delivery envelope, signed POSTs to a
 * subscription's callback URL, and an incoming text message delivered with Postscript's retries.
 */
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxShop, SandboxState, SandboxWebhook } from './state';

export const WEBHOOK_EVENTS = ['shop.test', 'shop.incoming_message', 'shop.subscriber.opt_in', 'shop.subscriber.opt_out', 'shop.email_collected', 'shop.shop.email_collected'];

export interface IncomingMessage {
  body: string;
  fromNumber: string;
  subscriberId?: string | null;
  isOptOut?: boolean;
  /** Reuse an event id: a redelivery of the same event. */
  eventId?: string;
  /** Sign with this instead of the shop's token (to test rejections). */
  signature?: string;
  retryIntervalMs?: number;
  retryWindowMs?: number;
}

export interface IncomingDelivery {
  eventId: string;
  first: Array<number | null>;
  done: Promise<Array<Array<number | null>>>;
}

export function envelope(shop: SandboxShop, event: string, hook: SandboxWebhook | null, eventData?: Record<string, unknown>): Record<string, unknown> {
  const now = new Date().toISOString().replace('Z', '');
  const sub = shop.subscribers[0];
  return {
    webhook_id: hook?.id ?? crypto.randomUUID(),
    resource_type: 'shop',
    resource_id: shop.id,
    event_time: now,
    event,
    event_data: eventData ?? {
      id: `im_${crypto.randomBytes(8).toString('hex')}`,
      subscriber_id: sub?.id ?? null,
      shop_id: shop.id,
      is_opt_out: false,
      shopify_customer_id: null,
      from_number: sub?.phone_number ?? '+15555555555',
      created_at: now,
      body: 'Hello, world',
    },
  };
}

/** One signed delivery attempt; returns the HTTP status, or null when the endpoint was unreachable. */
export async function deliverSigned(hook: SandboxWebhook, signature: string, payload: Record<string, unknown>): Promise<number | null> {
  try {
    const res = await fetch(hook.callback_url, {
      method: 'POST',
      headers: { ...hook.headers, 'content-type': 'application/json', 'postscript-signature': signature },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return null;
  }
}

/**
 * A subscriber texts the shop: builds a `shop.incoming_message` delivery and sends it to each of
 * the shop's subscriptions for that event, signed with the shop's token, retrying like Postscript
 * (every `retryIntervalMs`, 5 minutes by default, until a 200 or for `retryWindowMs`, an hour).
 * Resolves after the first attempt; `done` resolves when retrying ends (or the Sandbox stops).
 */
export async function deliverIncomingMessage(state: SandboxState, running: () => boolean, shopId: string, message: IncomingMessage): Promise<IncomingDelivery> {
  const shop = state.shopById(shopId);
  if (shop === undefined) throw new Error(`No Sandbox shop ${shopId}.`);
  const hooks = shop.webhooks.filter((w) => w.event === 'shop.incoming_message');
  if (hooks.length === 0) throw new Error('This shop has no webhook subscription for shop.incoming_message.');
  const eventId = message.eventId ?? `im_${crypto.randomBytes(8).toString('hex')}`;
  const sub = shop.subscribers.find((x) => x.phone_number === message.fromNumber);
  const now = new Date().toISOString().replace('Z', '');
  const interval = message.retryIntervalMs ?? 5 * 60_000;
  const window = message.retryWindowMs ?? 60 * 60_000;
  const signature = message.signature ?? shop.signingToken;
  const attemptAll = (): Promise<Array<number | null>> =>
    Promise.all(
      hooks.map((hook) =>
        deliverSigned(hook, signature, {
          ...envelope(shop, 'shop.incoming_message', hook),
          event_data: {
            id: eventId,
            subscriber_id: message.subscriberId !== undefined ? message.subscriberId : (sub?.id ?? null),
            shop_id: shop.id,
            is_opt_out: message.isOptOut ?? false,
            shopify_customer_id: null,
            from_number: message.fromNumber,
            created_at: now,
            body: message.body,
          },
        }),
      ),
    );
  const first = await attemptAll();
  const done = (async () => {
    const rounds = [first];
    const started = Date.now();
    while (rounds[rounds.length - 1]!.some((st) => st !== 200) && Date.now() - started + interval <= window && running()) {
      await sleep(interval, undefined, { ref: false });
      if (!running()) break;
      rounds.push(await attemptAll());
    }
    return rounds;
  })();
  return { eventId, first, done };
}
