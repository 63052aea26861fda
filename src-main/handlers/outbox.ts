/** Channels of the `tests` and `outbox` areas: preview and queue test events, whether sends are waiting or offline, resending one by hand. */
import type { OutboxItem, OutboxStatus } from '../../src-shared/ipc/contract';
import type { MainContext } from './context';
import type { OutboxRow } from '../db/outbox';
import type { AreaHandlers, Router } from '../ipc/router';
import { previewTest, queueAllEnabled, queueResend, queueTest } from '../outbox/enqueue';
import { heldReason, waitReasons } from '../outbox/waits';
import { claimBeforeResend } from './resendGate';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toOutboxItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    storeId: row.storeId,
    storeName: row.storeName,
    eventKey: row.eventKey,
    batchId: row.batchId,
    externalId: row.externalId,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'queued' ? iso(row.nextAttemptMs) : null,
    lastError: row.lastError,
    createdAt: new Date(row.createdMs).toISOString(),
    finishedAt: iso(row.finishedMs),
  };
}

export function outboxStatus(ctx: MainContext): OutboxStatus {
  const counts = ctx.outbox.counts();
  const offline = ctx.dispatcher.offlineEndpoints();
  // Answered but not yet saved: the database still says in flight, but they are not waiting.
  const unrecorded = ctx.dispatcher.unrecorded().length;
  return {
    online: offline.length === 0,
    offline: offline.map((o) => ({
      endpoint: o.endpoint,
      since: new Date(o.sinceMs).toISOString(),
      reason: o.reason,
      nextTryAt: o.nextTryMs === null ? null : new Date(o.nextTryMs).toISOString(),
    })),
    waiting: Math.max(0, counts.queued + counts.in_flight - unrecorded),
    paused: ctx.outbox.heldInPausedBatches(),
    uncertain: counts.uncertain,
    unrecorded,
    held: heldReason(ctx.storage.held()),
    // Only while something waits: a finished storm leaves nothing to explain.
    waits:
      counts.queued + counts.in_flight - unrecorded > 0
        ? waitReasons({ held: null, offline: offline.map((o) => ({ reason: o.reason, nextTryMs: o.nextTryMs })), retry: ctx.dispatcher.retryWaits.latest() })
        : [],
  };
}

export function testHandlers(ctx: MainContext): AreaHandlers<'tests'> {
  return {
    preview: async ({ storeId, eventKey }) => previewTest(ctx, storeId, eventKey),
    send: async ({ storeId, eventKey, properties }) => toOutboxItem(queueTest(ctx, storeId, eventKey, properties)),
    sendAll: async ({ storeId }) => ({ queued: queueAllEnabled(ctx, storeId) }),
  };
}

export function outboxHandlers(ctx: MainContext): AreaHandlers<'outbox'> {
  return {
    status: async () => outboxStatus(ctx),
    resend: async ({ itemId }) => {
      const item = ctx.outbox.getItem(itemId);
      // A failed send is claimed team-wide first (a refusal says who re-sent it and when).
      if (item !== undefined && (item.state === 'failed' || item.state === 'uncertain')) await claimBeforeResend(ctx, [item.externalId]);
      return toOutboxItem(queueResend(ctx, itemId));
    },
    retryNow: async () => {
      ctx.dispatcher.retryNow();
      return outboxStatus(ctx);
    },
  };
}

export function registerOutboxHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('tests', testHandlers(ctx));
  router.registerArea('outbox', outboxHandlers(ctx));
}
