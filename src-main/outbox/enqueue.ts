/**
 * Turning an agent's intent ("send a test", "send all", a batch, a resend) into outbox items.
 * Payload building is pure; writing is one transaction; the dispatcher is poked afterwards.
 */
import crypto from 'node:crypto';
import { AppError } from '../../src-shared/errors';
import { findSkioEvent, type SkioEvent } from '../../src-shared/events/catalog';
import { formatOccurredAt } from '../../src-shared/time';
import type { EventBus } from '../ipc/events';
import { requireStore } from '../db/lookups';
import type { NewOutboxItem, OutboxRepository, OutboxRow } from '../db/outbox';
import type { Repository, StoreRow } from '../db/store';
import type { Dispatcher } from './dispatcher';
import type { CreateEventBody } from '../postscript/client';
import type { KeyUseChecker } from './keyUse';

/** What queueing needs from the main process (the app's context has all of it). */
export interface EnqueueDeps {
  repo: Pick<Repository, 'getStore' | 'listTriggers'>;
  outbox: Pick<OutboxRepository, 'enqueue' | 'getItem'>;
  dispatcher: Pick<Dispatcher, 'pump'>;
  bus: Pick<EventBus, 'emit'>;
  /** Whether this console can send with a store's key (locked team key, a teammate's Sandbox shop). */
  keys: Pick<KeyUseChecker, 'check'>;
}

/** Refuses, before anything is queued, a send this console cannot make with the store's key. */
export function requireUsableKey(ctx: Pick<EnqueueDeps, 'keys'>, store: Pick<StoreRow, 'id' | 'name' | 'account'>): void {
  const use = ctx.keys.check(store);
  if (use !== null) throw new AppError('secret_unavailable', `Not sent. ${use.reason}`);
}

export function newExternalId(): string {
  return `psc-test-${crypto.randomUUID()}`;
}

export type PropertyValues = Record<string, string | number | boolean>;

const SAMPLE_DOMAIN = 'example-store.myshopify.com';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Sample properties for this store: its domain, its trigger settings, then the agent's edits. */
export function testProperties(event: SkioEvent, store: Pick<StoreRow, 'shopDomain'>, settings: { daysBefore?: number }, overrides?: PropertyValues): PropertyValues {
  const props: PropertyValues = { ...event.sampleProperties, domain: store.shopDomain };
  // Sample links (manageSubscriptionUrl) point at the merchant's own store, not the catalog's example.
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'string' && value.includes(SAMPLE_DOMAIN)) props[key] = value.split(SAMPLE_DOMAIN).join(store.shopDomain);
  }
  if (settings.daysBefore !== undefined && 'skioSubscriptionDaysUntilRenewal' in props) props.skioSubscriptionDaysUntilRenewal = settings.daysBefore;
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (!(key in event.sampleProperties)) {
      throw new AppError('invalid_input', `${event.name} has no property “${key}”. Its properties: ${Object.keys(event.sampleProperties).join(', ')}.`, 'properties');
    }
    // A date stays a date (Postscript's flows compare them): the sample's form is the form asked for.
    const sample = event.sampleProperties[key];
    if (typeof sample === 'string' && ISO_DATE.test(sample) && (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value)))) {
      throw new AppError('invalid_input', `${key} must be a date like ${sample}.`, 'properties');
    }
    props[key] = value;
  }
  return props;
}

/** The event body exactly as it will be sent. Fixed when queued: retries resend the same bytes. */
export function buildTestEvent(
  event: SkioEvent,
  store: Pick<StoreRow, 'shopDomain' | 'testPhone'>,
  now: Date,
  externalId: string,
  properties: PropertyValues = testProperties(event, store, {}),
): CreateEventBody {
  if (store.testPhone === null) throw new AppError('invalid_input', 'Add a Test Event User phone to this store before sending a test.', 'testPhone');
  return {
    type: event.postscriptType,
    phone: store.testPhone,
    occurred_at: formatOccurredAt(now),
    properties,
    // Marks the event as ours and as a test. Postscript does not deduplicate on it.
    external_id: externalId,
  };
}

export function testItem(store: StoreRow, event: SkioEvent, batchId: string | null, settings: { daysBefore?: number }, overrides?: PropertyValues): NewOutboxItem {
  const externalId = newExternalId();
  return {
    storeId: store.id,
    eventKey: event.key,
    batchId,
    externalId,
    bodyJson: JSON.stringify(buildTestEvent(event, store, new Date(), externalId, testProperties(event, store, settings, overrides))),
  };
}

/** What a test of this event would send now, for the agent to read before sending. */
export function previewTest(ctx: Pick<EnqueueDeps, 'repo'>, storeId: string, eventKey: string): { json: string; properties: PropertyValues } {
  const store = requireStore(ctx, storeId);
  const event = findSkioEvent(eventKey);
  if (event === undefined) throw new AppError('invalid_input', `Unknown event ${eventKey}.`, 'eventKey');
  const settings = ctx.repo.listTriggers(storeId).find((t) => t.eventKey === eventKey)?.settings ?? event.settings ?? {};
  const properties = testProperties(event, store, settings);
  const body = buildTestEvent(event, store, new Date(), 'psc-test-<made when sent>', properties);
  return { json: JSON.stringify(body, null, 2), properties };
}

function afterEnqueue(ctx: EnqueueDeps, storeId?: string): void {
  ctx.dispatcher.pump();
  ctx.bus.emit('changed', { topics: ['outbox', 'triggers', 'batches'], ...(storeId === undefined ? {} : { storeId, storeIds: [storeId] }) });
}

export function queueTest(ctx: EnqueueDeps, storeId: string, eventKey: string, overrides?: PropertyValues): OutboxRow {
  const store = requireStore(ctx, storeId);
  const event = findSkioEvent(eventKey);
  if (event === undefined) throw new AppError('invalid_input', `Unknown event ${eventKey}.`, 'eventKey');
  const trigger = ctx.repo.listTriggers(storeId).find((t) => t.eventKey === eventKey);
  if (trigger?.enabled !== true) throw new AppError('invalid_input', `Turn on “${event.name}” before sending a test.`, 'eventKey');
  requireUsableKey(ctx, store);
  const [id] = ctx.outbox.enqueue([testItem(store, event, null, trigger.settings, overrides)]);
  afterEnqueue(ctx, storeId);
  return ctx.outbox.getItem(id!)!;
}

export function queueAllEnabled(ctx: EnqueueDeps, storeId: string): number {
  const store = requireStore(ctx, storeId);
  requireUsableKey(ctx, store);
  const items = ctx.repo
    .listTriggers(storeId)
    .filter((t) => t.enabled)
    .flatMap((t) => {
      const e = findSkioEvent(t.eventKey);
      return e === undefined ? [] : [testItem(store, e, null, t.settings)];
    });
  if (items.length === 0) throw new AppError('invalid_input', 'Turn on at least one event before sending tests.');
  const ids = ctx.outbox.enqueue(items);
  afterEnqueue(ctx, storeId);
  return ids.length;
}

/** A resend is the agent's explicit choice: a new item with a new external_id and the same event. */
export function queueResend(ctx: EnqueueDeps, itemId: number): OutboxRow {
  const original = ctx.outbox.getItem(itemId);
  if (original === undefined) throw new AppError('not_found', 'That send no longer exists.');
  if (original.state === 'queued' || original.state === 'in_flight') {
    throw new AppError('conflict', 'This send is still waiting in the outbox; it will go out by itself.');
  }
  requireUsableKey(ctx, requireStore(ctx, original.storeId));
  const body = JSON.parse(original.bodyJson) as CreateEventBody;
  const externalId = newExternalId();
  const [id] = ctx.outbox.enqueue([
    {
      storeId: original.storeId,
      eventKey: original.eventKey,
      batchId: null,
      externalId,
      bodyJson: JSON.stringify({ ...body, external_id: externalId, occurred_at: formatOccurredAt(new Date()) }),
    },
  ]);
  afterEnqueue(ctx, original.storeId);
  return ctx.outbox.getItem(id!)!;
}

export { afterEnqueue };
