/**
 * Sends one test event for a store and records the attempt in the delivery log. Pure decisions
 * (payload, outcome) are separate functions so they can be tested without a network.
 */
import crypto from 'node:crypto';
import { AppError } from '../../src-shared/errors';
import { findSkioEvent, type SkioEvent } from '../../src-shared/events/catalog';
import type { DeliveryOutcome } from '../../src-shared/ipc/contract';
import { formatOccurredAt } from '../../src-shared/time';
import type { MainContext } from '../app/context';
import type { DeliveryRow, StoreRow } from '../db/store';
import { clientForStore } from '../postscript/accounts';
import { parseErrorBody, type CreateEventBody, type Exchange } from '../postscript/client';

export function buildTestEvent(event: SkioEvent, store: Pick<StoreRow, 'shopDomain' | 'testPhone'>, now: Date): CreateEventBody {
  if (store.testPhone === null) throw new AppError('invalid_input', 'Add a Test Event User phone to this store before sending a test.', 'testPhone');
  return {
    type: event.postscriptType,
    phone: store.testPhone,
    occurred_at: formatOccurredAt(now),
    properties: { ...event.sampleProperties, domain: store.shopDomain },
    // Marks the event as ours and as a test; Postscript does not deduplicate on it.
    external_id: `psc-test-${crypto.randomUUID()}`,
  };
}

/** How an attempt ended, from what came back. */
export function classifyExchange(ex: Exchange): { outcome: DeliveryOutcome; errorCode: number | null; errorMessage: string | null } {
  if (ex.failure !== null) {
    // A request that never left is a plain failure; one that may have arrived is uncertain.
    return { outcome: ex.failure.sent ? 'uncertain' : 'failed', errorCode: null, errorMessage: ex.failure.message };
  }
  const { status, body } = ex.response!;
  if (status >= 200 && status < 300) return { outcome: 'delivered', errorCode: null, errorMessage: null };
  const parsed = parseErrorBody(body);
  return {
    outcome: status === 429 ? 'rate_limited' : 'failed',
    errorCode: parsed.errorCode,
    errorMessage: parsed.message ?? `HTTP ${status}`,
  };
}

export async function sendTestEvent(ctx: MainContext, storeId: string, eventKey: string): Promise<DeliveryRow> {
  const store = ctx.repo.getStore(storeId);
  if (store === undefined) throw new AppError('not_found', 'This store no longer exists.');
  const event = findSkioEvent(eventKey);
  if (event === undefined) throw new AppError('invalid_input', `Unknown event ${eventKey}.`, 'eventKey');
  const trigger = ctx.repo.listTriggers(storeId).find((t) => t.eventKey === eventKey);
  if (trigger?.enabled !== true) throw new AppError('invalid_input', `Turn on “${event.name}” before sending a test.`, 'eventKey');
  const body = buildTestEvent(event, store, new Date());
  const client = clientForStore(ctx, storeId);
  const ex = await client.createEventExchange(body);
  const verdict = classifyExchange(ex);
  const id = ctx.repo.insertDelivery({
    storeId,
    eventKey,
    postscriptType: event.postscriptType,
    externalId: body.external_id!,
    attempt: 1,
    outcome: verdict.outcome,
    requestMethod: ex.request.method,
    requestUrl: ex.request.url,
    requestHeaders: ex.request.headers,
    requestBody: ex.request.body,
    responseStatus: ex.response?.status ?? null,
    responseBody: ex.response?.body ?? null,
    errorCode: verdict.errorCode,
    errorMessage: verdict.errorMessage,
    latencyMs: ex.latencyMs,
    startedAt: ex.startedAt,
    finishedAt: ex.finishedAt,
  });
  ctx.bus.emit('changed', { topics: ['deliveries', 'triggers', 'sandbox'], storeId });
  return ctx.repo.getDelivery(id)!;
}
