/** Channels of the `deliveries` area: the delivery log, its detail, resend, export, overview and retention. */
import { AppError } from '../../src-shared/errors';
import type { DeliveryOutcome, LogStats } from '../../src-shared/ipc/contract';
import type { MainContext } from './context';
import type { AreaHandlers, Router } from '../ipc/router';
import { curlCommand } from '../logs/curl';
import { startExport } from '../logs/exporter';
import { queueResend } from '../outbox/enqueue';
import { claimBeforeResend } from './resendGate';

const OUTCOMES: DeliveryOutcome[] = ['delivered', 'failed', 'rate_limited', 'uncertain'];
const RESEND_LIMIT = 1000;

export function logStats(ctx: MainContext): LogStats {
  return { dbBytes: ctx.log.sizeBytes(), oldestAt: ctx.log.oldestStartedAt(), retentionDays: ctx.retention.days() };
}

export function deliveryHandlers(ctx: MainContext): AreaHandlers<'deliveries'> {
  return {
    list: async ({ filter, beforeId, limit }) => {
      // One extra row says whether there is a next page, without a COUNT over the log.
      const rows = ctx.log.page(filter, beforeId, limit + 1);
      const page = rows.slice(0, limit);
      return { rows: page, nextBeforeId: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
    },

    get: async ({ id }) => {
      const row = ctx.repo.getDelivery(id);
      if (row === undefined) throw new AppError('not_found', 'This attempt is no longer in the log (it may have been pruned).');
      return { ...row, curl: curlCommand(row.requestMethod, row.requestUrl, row.requestHeaders, row.requestBody) };
    },

    resend: async ({ ids, filter, dryRun }) => {
      if (ids === undefined && filter === undefined) throw new AppError('invalid_input', 'Choose rows, or a filter, to resend.');
      const rows = ids !== undefined ? ids.map((id) => ctx.repo.getDelivery(id)).filter((r) => r !== undefined) : ctx.log.page(filter!, undefined, RESEND_LIMIT + 1);
      if (rows.length > RESEND_LIMIT) {
        throw new AppError('invalid_input', `This filter matches more than ${RESEND_LIMIT} attempts. Narrow it (store, event, outcome or time) before resending.`);
      }
      // One resend per send, however many attempts it had.
      const outboxIds = [...new Set(rows.map((r) => r.outboxId).filter((x): x is number => x !== null))];
      if (dryRun === true) return { queued: outboxIds.length, skipped: rows.length - outboxIds.length, note: null };
      // Failed sends are claimed team-wide first, all in one round; those someone already re-sent are left out.
      const failed = outboxIds.map((id) => ctx.outbox.getItem(id)).filter((i) => i !== undefined && (i.state === 'failed' || i.state === 'uncertain'));
      const gate = failed.length === 0 ? null : await claimBeforeResend(ctx, failed.map((i) => i!.externalId));
      const leftOut = new Set(failed.filter((i) => gate !== null && !gate.allowed.has(i!.externalId)).map((i) => i!.id));
      let queued = 0;
      let skipped = rows.length - outboxIds.length + leftOut.size;
      for (const outboxId of outboxIds) {
        if (leftOut.has(outboxId)) continue;
        try {
          queueResend(ctx, outboxId);
          queued += 1;
        } catch {
          skipped += 1; // still waiting in the outbox, or the store is gone
        }
      }
      return { queued, skipped, note: gate?.note ?? null };
    },

    export: async ({ filter, format }) => {
      const job = startExport(ctx.log, ctx.bus, ctx.exportsDir, filter, format);
      return { jobId: job.jobId, path: job.path };
    },

    overview: async ({ storeId, hours }) => {
      const now = Date.now();
      const start = new Date(Math.floor(now / 3600_000) * 3600_000 - (hours - 1) * 3600_000);
      const buckets = Array.from({ length: hours }, (_, i) => new Date(start.getTime() + i * 3600_000).toISOString().slice(0, 13));
      const index = new Map(buckets.map((b, i) => [b, i]));
      const series = OUTCOMES.map((outcome) => ({ outcome, counts: buckets.map(() => 0) }));
      for (const h of ctx.log.histogram(start.toISOString(), storeId)) {
        const i = index.get(h.hour);
        const s = series.find((x) => x.outcome === h.outcome);
        if (i !== undefined && s !== undefined) s.counts[i] = h.n;
      }
      return {
        summary: ctx.log.summary(storeId),
        histogram: { hours: buckets.map((b) => `${b}:00:00.000Z`), series },
      };
    },

    stats: async () => logStats(ctx),

    setRetention: async ({ days }) => {
      ctx.retention.setDays(days);
      await ctx.retention.prune();
      ctx.bus.emit('changed', { topics: ['logStats', 'deliveries'] });
      return logStats(ctx);
    },
  };
}

export function registerDeliveryHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('deliveries', deliveryHandlers(ctx));
}
