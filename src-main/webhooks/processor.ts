/**
 * What a Postscript webhook delivery does, once it has been read: route it to its store, check
 * its Postscript-Signature, and, for a SKIP from the test subscriber, skip the next order exactly
 * once. The decision and its effects (log row, dedupe record, new billing date, follow-up event in
 * the outbox) are one SQLite transaction, so a crash or a 500 never leaves half a skip, and a
 * redelivery of the same event_data.id is recognised and does nothing.
 */
import crypto from 'node:crypto';
import { findSkioEvent } from '../../src-shared/events/catalog';
import { addDays, isSkipMessage } from '../../src-shared/skip';
import { normalizePhone } from '../../src-shared/validation/phone';
import type { OutboxRepository } from '../db/outbox';
import type { Repository } from '../db/store';
import type { InboundAction, InboundRow, RoutingRow, SignatureVerdict, WebhookRepository } from '../db/webhooks';
import type { EventBus } from '../ipc/events';
import type { Dispatcher } from '../outbox/dispatcher';
import { testItem } from '../outbox/enqueue';
import type { SecretBox } from '../secrets/secretBox';

/** What handling a delivery needs from the main process (the app's context has all of it). */
export interface WebhookDeps {
  webhooks: WebhookRepository;
  repo: Pick<Repository, 'getStore'>;
  outbox: Pick<OutboxRepository, 'enqueue'>;
  secrets: Pick<SecretBox, 'decrypt'>;
  bus: Pick<EventBus, 'emit'>;
  /** Poked after a skip queued its follow-up event. */
  dispatcher: Pick<Dispatcher, 'pump'>;
  /** Told about a delivery that could not be saved (full disk, damaged database); says it to the agent. */
  storage?: { report(err: unknown, where: string): string | null };
}
import { requiredSecret, SECRET_HEADER } from './storeSecret';

export interface ProcessResult {
  status: number;
  action: InboundAction;
  reason: string;
  storeId: string | null;
  skipped?: { before: string; after: string };
}

/** Equal-time comparison of two secrets of any lengths (hashing first equalises the lengths). */
export function sameSecret(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb) && a.length === b.length;
}

type Logged = Omit<InboundRow, 'id' | 'receivedAt'>;

function blank(storeId: string | null): Logged {
  return { storeId, event: null, eventDataId: null, signature: 'not_checked', status: 0, action: 'rejected', reason: '', fromNumber: null, message: null, beforeDate: null, afterDate: null };
}

/** Logs a delivery refused before its meaning was looked at, and says so to the caller. */
export function reject(ctx: WebhookDeps, storeId: string | null, status: number, reason: string, extra: Partial<Logged> = {}): ProcessResult {
  try {
    ctx.webhooks.logInbound({ ...blank(storeId), ...extra, status, action: 'rejected', reason });
    announce(ctx, ['skip'], storeId);
  } catch {
    // Logging must not turn a clear 4xx into a 500.
  }
  return { status, action: 'rejected', reason, storeId };
}

function routeStore(ctx: WebhookDeps, pathStoreId: string | null, envelope: Record<string, unknown>, data: Record<string, unknown>): RoutingRow | undefined {
  if (pathStoreId !== null) return ctx.webhooks.routeById(pathStoreId);
  const shopId = typeof data.shop_id === 'string' ? data.shop_id : typeof envelope.resource_id === 'string' ? envelope.resource_id : null;
  return shopId === null ? undefined : ctx.webhooks.routeByShopId(shopId);
}

/** Decrypted signing tokens, kept while the stored one is unchanged (decrypting on every delivery is waste). */
const tokens = new WeakMap<WebhookDeps, Map<string, { fetchedAt: string; token: string | null }>>();
function signingToken(ctx: WebhookDeps, storeId: string): string | null {
  const saved = ctx.webhooks.getToken(storeId);
  if (saved === undefined) return null;
  let perCtx = tokens.get(ctx);
  if (perCtx === undefined) {
    perCtx = new Map();
    tokens.set(ctx, perCtx);
  }
  const hit = perCtx.get(storeId);
  if (hit !== undefined && hit.fetchedAt === saved.fetchedAt) return hit.token;
  const token = ctx.secrets.decrypt(saved.scheme, saved.ciphertext);
  perCtx.set(storeId, { fetchedAt: saved.fetchedAt, token });
  return token;
}

/** The SKIP tester and the log refetch on these; at thousands of deliveries a second, once per 150 ms is plenty. */
const pending = new WeakMap<WebhookDeps, { topics: Set<string>; storeIds: Set<string | null>; timer: NodeJS.Timeout }>();
function announce(ctx: WebhookDeps, topics: Array<'skip' | 'outbox' | 'triggers'>, storeId: string | null): void {
  let p = pending.get(ctx);
  if (p === undefined) {
    const entry = {
      topics: new Set<string>(),
      storeIds: new Set<string | null>(),
      timer: setTimeout(() => {
        pending.delete(ctx);
        const ids = [...entry.storeIds];
        const one = ids.length === 1 && ids[0] !== null ? { storeId: ids[0] } : {};
        ctx.bus.emit('changed', { topics: [...entry.topics] as Array<'skip' | 'outbox' | 'triggers'>, ...one });
      }, 150),
    };
    entry.timer.unref();
    p = entry;
    pending.set(ctx, p);
  }
  for (const t of topics) p.topics.add(t);
  p.storeIds.add(storeId);
}

/**
 * `secretHeader`: the per-store secret the delivery carried (see storeSecret.ts); required, beside
 * the signature, for stores whose webhooks were registered with one.
 */
export function processDelivery(ctx: WebhookDeps, pathStoreId: string | null, signature: string | undefined, parsed: unknown, secretHeader?: string): ProcessResult {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return reject(ctx, pathStoreId, 400, 'The body is not a Postscript webhook envelope (a JSON object).');
  const envelope = parsed as Record<string, unknown>;
  const data = envelope.event_data;
  if (typeof envelope.event !== 'string' || typeof data !== 'object' || data === null || Array.isArray(data)) {
    return reject(ctx, pathStoreId !== null && ctx.webhooks.routeById(pathStoreId) !== undefined ? pathStoreId : null, 400, 'The envelope has no event or event_data.');
  }
  const d = data as Record<string, unknown>;
  const event = envelope.event;
  const eventDataId = typeof d.id === 'string' ? d.id : null;
  const fromNumber = typeof d.from_number === 'string' ? d.from_number : null;
  const message = typeof d.body === 'string' ? d.body.slice(0, 1600) : null;
  const seen: Partial<Logged> = { event, eventDataId, fromNumber, message };

  const store = routeStore(ctx, pathStoreId, envelope, d);
  if (store === undefined) {
    return reject(ctx, null, 404, `No store here matches this delivery (${pathStoreId ?? String(d.shop_id ?? envelope.resource_id ?? 'no shop id')}).`, seen);
  }

  // Postscript-Signature carries the shop's signing token as is (shared/postscript-api/webhooks.yml).
  const token = signingToken(ctx, store.id);
  if (token === null) {
    return reject(ctx, store.id, 401, 'No signing token is saved for this store: open the SKIP tester and press “Set up”.', { ...seen, signature: 'not_checked' });
  }
  if (signature === undefined || signature === '') return reject(ctx, store.id, 401, 'No Postscript-Signature header.', { ...seen, signature: 'missing' });
  if (!sameSecret(signature, token)) return reject(ctx, store.id, 401, 'Postscript-Signature does not match this store’s signing token.', { ...seen, signature: 'wrong' });
  const secret = requiredSecret(ctx, store.id);
  if (secret === undefined) {
    return reject(ctx, store.id, 401, 'This store’s webhook secret was saved by the other shell and cannot be read here: register the webhook again.', { ...seen, signature: 'valid' });
  }
  if (secret !== null && (secretHeader === undefined || secretHeader === '')) {
    return reject(ctx, store.id, 401, `No ${SECRET_HEADER} header: this store’s webhooks were registered with one, so a delivery without it is not from Postscript.`, { ...seen, signature: 'valid' });
  }
  if (secret !== null && !sameSecret(secretHeader!, secret)) {
    return reject(ctx, store.id, 401, `${SECRET_HEADER} does not match this store’s webhook secret.`, { ...seen, signature: 'valid' });
  }
  if (eventDataId === null) return reject(ctx, store.id, 400, 'event_data.id is missing: the delivery cannot be deduplicated.', { ...seen, signature: 'valid' });

  const result = ctx.webhooks.transaction((): ProcessResult => {
    const base: Logged = { ...blank(store.id), ...seen, signature: 'valid' as SignatureVerdict, status: 200 };
    const done = (action: InboundAction, reason: string, extra: Partial<Logged> = {}): ProcessResult => {
      ctx.webhooks.logInbound({ ...base, ...extra, action, reason });
      return { status: 200, action, reason, storeId: store.id };
    };
    if (!ctx.webhooks.markProcessed(store.id, eventDataId)) {
      return done('duplicate', `Already handled ${eventDataId}: Postscript delivers at least once, so this repeat does nothing.`);
    }
    if (event !== 'shop.incoming_message') return done('ignored', `${event} is not handled here.`);
    if (d.is_opt_out === true) return done('ignored', 'The sender opted out: an opt-out is never a skip.');
    if (message === null || !isSkipMessage(message, store.skipWord)) {
      return done('ignored', `“${(message ?? '').slice(0, 60)}” is not ${store.skipWord}.`);
    }
    const sub = ctx.webhooks.getSubscription(store.id);
    const from = fromNumber === null ? null : normalizePhone(fromNumber);
    const matches =
      sub !== undefined &&
      ((from !== null && from.ok && from.e164 === sub.phone) || (typeof d.subscriber_id === 'string' && d.subscriber_id === store.testSubscriberId && store.testPhone === sub.phone));
    if (!matches) return done('ignored', `No test subscription here for ${fromNumber ?? String(d.subscriber_id ?? 'this sender')}.`);

    const before = sub.nextBillingDate;
    const after = addDays(before, sub.intervalDays);
    ctx.webhooks.skipTo(store.id, after);
    // Skio would tell Postscript the date moved; if the merchant sends that event, so do we.
    const trigger = ctx.webhooks.trigger(store.id, 'next_billing_date_updated');
    const followUp = findSkioEvent('next_billing_date_updated');
    let note = '';
    if (trigger?.enabled === true && followUp !== undefined && store.testPhone !== null) {
      const full = ctx.repo.getStore(store.id);
      if (full !== undefined) {
        ctx.outbox.enqueue([testItem(full, followUp, null, trigger.settings, { nextBillingDate: after })]);
        note = ' Subscription Next Billing Date Updated queued to Postscript.';
      }
    }
    const r = done('skipped', `Skipped the next order: ${before} → ${after}.${note}`, { beforeDate: before, afterDate: after });
    return { ...r, skipped: { before, after } };
  });
  if (result.action === 'skipped') ctx.dispatcher.pump();
  announce(ctx, result.action === 'skipped' ? ['skip', 'outbox', 'triggers'] : ['skip'], store.id);
  return result;
}
