/** Fails, without sending, every queued item of a store that cannot send at all (key unreadable or refused). */
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { OutboxRepository } from '../db/outbox';

export function failQueued(outbox: OutboxRepository, storeId: string, reason: string): void {
  for (;;) {
    const items = outbox.claim(storeId, Number.MAX_SAFE_INTEGER, 100);
    if (items.length === 0) break;
    for (const item of items) {
      const now = new Date().toISOString();
      outbox.settle(
        item.id,
        {
          storeId,
          eventKey: item.eventKey,
          postscriptType: findSkioEvent(item.eventKey)?.postscriptType ?? item.eventKey,
          externalId: item.externalId,
          attempt: item.attempts,
          outcome: 'failed',
          requestMethod: 'POST',
          requestUrl: '/api/v2/events',
          requestHeaders: {},
          requestBody: item.bodyJson,
          responseStatus: null,
          responseBody: null,
          errorCode: null,
          errorMessage: reason,
          latencyMs: null,
          startedAt: now,
          finishedAt: now,
          outboxId: item.id,
          batchId: item.batchId,
          willRetry: false,
        },
        { state: 'failed' },
        reason,
      );
    }
  }
  outbox.completeFinishedBatches();
}
