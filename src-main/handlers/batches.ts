/** Channels of the `batches` area: send-test batches across many stores, their progress, report and re-runs. */
import crypto from 'node:crypto';
import path from 'node:path';
import { csvLine } from '../../src-shared/csv';
import { AppError } from '../../src-shared/errors';
import { findSkioEvent, type SkioEvent } from '../../src-shared/events/catalog';
import type { BatchSummary } from '../../src-shared/ipc/contract';
import { selectBatchStores } from '../../src-shared/rules/activeStores';
import type { MainContext } from './context';
import type { BatchRow, NewOutboxItem } from '../db/outbox';
import type { AreaHandlers, Router } from '../ipc/router';
import { writeExportFile } from '../logs/exportFiles';
import { afterEnqueue, newExternalId, requireUsableKey, testItem } from '../outbox/enqueue';
import { waitReasons } from '../outbox/waits';
import { takeOverFailed } from './batchTakeOver';
import { claimBeforeResend } from './resendGate';
import { toOutboxItem } from './outbox';

const RATE_WINDOW_MS = 10_000;
/** Why a batch leaves out a store whose key this console cannot use (outbox/keyUse.ts). */
const KEY_SKIP_REASON = {
  locked: 'its key is locked here: the team passphrase is needed',
  elsewhere: 'its Sandbox shop is on a teammate’s console',
  missing: 'its key has not reached this console yet',
} as const;

export function batchSummary(ctx: MainContext, batchId: string, row?: BatchRow): BatchSummary {
  const b = row ?? ctx.outbox.getBatch(batchId);
  if (b === undefined) throw new AppError('not_found', 'This batch no longer exists.');
  const counts = ctx.outbox.counts(batchId);
  const total = Object.values(counts).reduce((a, n) => a + n, 0);
  const now = Date.now();
  const windowMs = Math.min(RATE_WINDOW_MS, Math.max(1000, now - b.createdMs));
  const ratePerSecond = ctx.outbox.finishedSince(batchId, now - windowMs) / (windowMs / 1000);
  const left = counts.queued + counts.in_flight;
  return {
    id: b.id,
    name: b.name,
    status: b.status,
    createdAt: new Date(b.createdMs).toISOString(),
    finishedAt: b.finishedMs === null ? null : new Date(b.finishedMs).toISOString(),
    rerunOf: b.rerunOf,
    agentId: b.agentId,
    total,
    counts,
    ratePerSecond: Math.round(ratePerSecond * 10) / 10,
    etaSeconds: left === 0 || ratePerSecond === 0 || b.status !== 'running' ? null : Math.ceil(left / ratePerSecond),
    wait: counts.queued === 0 || b.agentId !== null ? null : batchWait(ctx, b),
    failedWhy: counts.failed === 0 ? null : ctx.outbox.topFailure(b.id),
  };
}

/** Why the batch's queued sends wait (a teammate's batch: their console knows, this one does not). */
function batchWait(ctx: MainContext, b: BatchRow): BatchSummary['wait'] {
  const offline = ctx.dispatcher.offlineEndpoints().map((o) => ({ reason: o.reason, nextTryMs: o.nextTryMs }));
  return waitReasons({ held: ctx.storage.held(), offline, retry: ctx.dispatcher.retryWaits.forBatch(b.id) }, b.status === 'paused')[0] ?? null;
}

export function batchHandlers(ctx: MainContext): AreaHandlers<'batches'> {
  const changed = (batchId: string): BatchSummary => {
    ctx.bus.emit('changed', { topics: ['batches', 'outbox'] });
    ctx.dispatcher.pump();
    return batchSummary(ctx, batchId);
  };
  const running = (batchId: string): void => {
    const b = ctx.outbox.getBatch(batchId);
    if (b === undefined) throw new AppError('not_found', 'This batch no longer exists.');
    // Only the console that queued a batch sends it, so only that console may steer it.
    if (b.agentId !== null) throw new AppError('conflict', 'This batch belongs to a teammate: only their console can pause, resume or cancel it.');
    if (b.status === 'cancelled' || b.status === 'done') throw new AppError('conflict', `This batch is already ${b.status}.`);
  };

  return {
    create: async ({ name, stores: storeSel, events: eventSel }) => {
      // Over all stores means the active ones; an archived store named by id or in the CSV is reported, never sent.
      const { stores, archived, unknownDomains } = selectBatchStores(ctx.repo.listStores(), storeSel);
      if (storeSel.kind === 'csv' && stores.length === 0) {
        const list = (xs: string[]): string => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? '…' : ''}`;
        const why = [
          ...(unknownDomains.length > 0 ? [`None of these domains is set up here: ${list(unknownDomains)}.`] : []),
          ...(archived.length > 0 ? [`Archived, so not sent: ${list(archived.map((s) => s.shopDomain))}.`] : []),
        ];
        throw new AppError('invalid_input', why.length > 0 ? why.join(' ') : 'The CSV holds no shop domains.', 'stores');
      }
      let chosen: SkioEvent[] | null = null;
      if (eventSel.kind === 'some') {
        chosen = eventSel.eventKeys.map((k) => {
          const e = findSkioEvent(k);
          if (e === undefined) throw new AppError('invalid_input', `Unknown event ${k}.`, 'events');
          return e;
        });
      }
      const batchId = crypto.randomUUID();
      const items: NewOutboxItem[] = [];
      const skippedStores: Array<{ name: string; reason: string }> = archived.map((s) => ({ name: s.name, reason: 'archived' }));
      for (const store of stores) {
        if (store.testPhone === null) {
          skippedStores.push({ name: store.name, reason: 'no Test Event User phone' });
          continue;
        }
        const keyUse = ctx.keys.check(store);
        if (keyUse !== null) {
          skippedStores.push({ name: store.name, reason: KEY_SKIP_REASON[keyUse.status] });
          continue;
        }
        const triggers = new Map(ctx.repo.listTriggers(store.id).filter((t) => t.enabled).map((t) => [t.eventKey, t]));
        const events = (chosen ?? [...triggers.keys()].map((k) => findSkioEvent(k)).filter((e): e is SkioEvent => e !== undefined)).filter((e) => triggers.has(e.key));
        if (events.length === 0) {
          skippedStores.push({ name: store.name, reason: chosen === null ? 'no events turned on' : 'none of the chosen events is turned on' });
          continue;
        }
        for (const e of events) items.push(testItem(store, e, batchId, triggers.get(e.key)?.settings ?? {}));
      }
      if (items.length === 0) {
        // Every store was left out: say why for each (a locked key is not "no events turned on").
        const why = skippedStores.slice(0, 5).map((x) => `${x.name} (${x.reason})`).join(', ');
        throw new AppError('invalid_input', skippedStores.length > 0 ? `Nothing to send: ${why}${skippedStores.length > 5 ? '…' : ''}.` : 'Nothing to send: none of the chosen stores has the chosen events turned on.', 'events');
      }
      const label = name !== undefined && name !== '' ? name : `Batch of ${items.length} tests, ${new Date().toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })}`;
      ctx.outbox.enqueue(items, { id: batchId, name: label });
      afterEnqueue(ctx);
      return { batch: batchSummary(ctx, batchId), unknownDomains, skippedStores };
    },
    list: async () => ctx.outbox.listBatches(200).map((b) => batchSummary(ctx, b.id, b)),
    get: async ({ batchId }) => batchSummary(ctx, batchId),
    pause: async ({ batchId }) => {
      running(batchId);
      ctx.outbox.setBatchStatus(batchId, 'paused');
      return changed(batchId);
    },
    resume: async ({ batchId }) => {
      running(batchId);
      ctx.outbox.setBatchStatus(batchId, 'running');
      ctx.outbox.completeFinishedBatches();
      return changed(batchId);
    },
    cancel: async ({ batchId }) => {
      running(batchId);
      ctx.outbox.cancelQueued(batchId);
      return changed(batchId);
    },
    items: async ({ batchId, afterId, limit }) => {
      const rows = ctx.outbox.batchItems(batchId, afterId, limit + 1);
      const page = rows.slice(0, limit);
      return { rows: page.map(toOutboxItem), nextAfterId: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
    },
    exportCsv: async ({ batchId }) => {
      const summary = batchSummary(ctx, batchId);
      let csv = csvLine(['store', 'shop_domain', 'event', 'postscript_type', 'external_id', 'state', 'attempts', 'last_error', 'queued_at', 'finished_at']);
      const domains = new Map(ctx.repo.listStores().map((s) => [s.id, s.shopDomain]));
      let after = 0;
      for (;;) {
        const rows = ctx.outbox.batchItems(batchId, after, 1000);
        if (rows.length === 0) break;
        for (const r of rows) {
          const e = findSkioEvent(r.eventKey);
          csv += csvLine([r.storeName, domains.get(r.storeId), e?.name ?? r.eventKey, e?.postscriptType, r.externalId, r.state, r.attempts, r.lastError, new Date(r.createdMs).toISOString(), r.finishedMs === null ? '' : new Date(r.finishedMs).toISOString()]);
        }
        after = rows[rows.length - 1]!.id;
      }
      const stamp = summary.createdAt.slice(0, 19).replace(/[:T]/g, '-');
      // Kept in the exports folder like every file the app makes; the renderer hands it over from there.
      const file = writeExportFile(ctx.exportsDir, `batch-${stamp}.csv`, csv);
      return { filename: path.basename(file), csv, path: file };
    },
    rerunFailed: async ({ batchId, takeOver }) => {
      const original = ctx.outbox.getBatch(batchId);
      if (original === undefined) throw new AppError('not_found', 'This batch no longer exists.');
      if (original.agentId !== null) {
        const taken = await takeOverFailed(ctx, original, takeOver);
        return { ...batchSummary(ctx, taken.batchId), note: taken.note };
      }
      const failed = ctx.outbox.batchItemsIn(batchId, ['failed', 'uncertain']);
      if (failed.length === 0) throw new AppError('conflict', 'Nothing to re-run: no item of this batch failed or stayed uncertain.');
      // A store whose key cannot be used here is refused before anything is claimed.
      const stores = new Map(failed.map((r) => [r.storeId, ctx.repo.getStore(r.storeId)]));
      const usable = failed.filter((r) => {
        const store = stores.get(r.storeId);
        return store === undefined || ctx.keys.check(store) === null;
      });
      const blocked = [...stores.values()].find((st) => st !== undefined && ctx.keys.check(st) !== null);
      if (usable.length === 0 && blocked !== undefined) requireUsableKey(ctx, blocked);
      // In a team even one's own batch is claimed first: a teammate may have taken these over.
      const gate = await claimBeforeResend(ctx, usable.map((r) => r.externalId));
      const newId = crypto.randomUUID();
      const items = failed.filter((r) => gate.allowed.has(r.externalId)).map((r) => {
        const externalId = newExternalId();
        const body = { ...(JSON.parse(r.bodyJson) as Record<string, unknown>), external_id: externalId };
        return { storeId: r.storeId, eventKey: r.eventKey, batchId: newId, externalId, bodyJson: JSON.stringify(body) };
      });
      ctx.outbox.enqueue(items, { id: newId, name: `Re-run of ${original.name}`, rerunOf: batchId });
      afterEnqueue(ctx);
      return { ...batchSummary(ctx, newId), note: gate.note };
    },
  };
}

export function registerBatchHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('batches', batchHandlers(ctx));
}
