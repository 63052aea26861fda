/**
 * What the dispatcher writes once a send has its answer: one attempt and the item's next state, in
 * one transaction (`OutboxRepository.settle`). Only writes, so it may run again: an answer kept in
 * memory during a full disk is written later through the same function (unrecorded.ts).
 */
import type { OutboxRepository, OutboxRow } from '../db/outbox';
import type { decide } from './retryPolicy';
import type { RetryWaits } from './waits';

/** The attempt's id, or null when the item is gone. */
export function recordAttempt(
  outbox: OutboxRepository,
  retryWaits: RetryWaits,
  item: OutboxRow,
  delivery: Parameters<OutboxRepository['settle']>[1],
  decision: ReturnType<typeof decide>,
): number | null {
  let id: number | null = null;
  switch (decision.kind) {
    case 'delivered':
      id = outbox.settle(item.id, delivery, { state: 'delivered' }, null);
      retryWaits.ended(item.batchId);
      break;
    case 'failed':
    case 'uncertain':
      id = outbox.settle(item.id, delivery, { state: decision.kind }, decision.reason);
      retryWaits.ended(item.batchId);
      break;
    case 'retry': {
      const at = Date.now() + decision.delayMs;
      id = outbox.settle(item.id, delivery, { state: 'queued', requeueAtMs: at, countAttempt: true }, decision.reason);
      // The batch card and the banner say why it waits and when it is tried again (waits.ts).
      retryWaits.retrying(item.batchId, delivery.responseStatus ?? 0, at);
      break;
    }
    case 'offline':
      // Nothing was sent: the item waits for the endpoint without using up an attempt.
      id = outbox.settle(item.id, delivery, { state: 'queued', requeueAtMs: Date.now(), countAttempt: false }, `Offline: ${decision.reason}`);
      break;
  }
  if (decision.kind !== 'retry' && decision.kind !== 'offline' && item.batchId !== null) {
    outbox.completeFinishedBatches();
  }
  return id;
}
