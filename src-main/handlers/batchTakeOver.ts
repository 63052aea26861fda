/**
 * "Re-run failed" on a teammate's batch. Their items stay theirs (this console never sends a
 * teammate's item, so nothing goes twice by accident); the agent may deliberately take the failed
 * ones over, which queues them as NEW items (new external ids) of a batch of this console's own,
 * after claiming each in the team database (handlers/resendGate.ts): a send is re-sent once.
 */
import crypto from 'node:crypto';
import { AppError } from '../../src-shared/errors';
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { BatchRow, NewOutboxItem } from '../db/outbox';
import { afterEnqueue, requireUsableKey, testItem } from '../outbox/enqueue';
import type { MainContext } from './context';
import { claimBeforeResend } from './resendGate';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Queues the teammate's failed/uncertain items here; returns the new batch's id and what was left out. */
export async function takeOverFailed(ctx: MainContext, original: BatchRow, takeOver: boolean): Promise<{ batchId: string; note: string | null }> {
  const owner = ctx.teamViews.agents().find((a) => a.id === original.agentId)?.name ?? 'a teammate';
  const failed = ctx.outbox.teammateItemsIn(original.id, ['failed', 'uncertain']);
  if (failed.length === 0) throw new AppError('conflict', `Nothing to re-run: no item of ${owner}’s batch failed or stayed uncertain.`);
  if (!takeOver) {
    throw new AppError(
      'conflict',
      `This batch is ${owner}’s: only their console sends its items. Re-sending its ${count(failed.length, 'failed event', 'failed events')} from your console ` +
        `makes ${count(failed.length, 'new send', 'new sends')}; confirm to take ${failed.length === 1 ? 'it' : 'them'} over.`,
    );
  }
  const sendable = failed.filter((f) => {
    const store = ctx.repo.getStore(f.storeId);
    return store !== undefined && findSkioEvent(f.eventKey) !== undefined && store.testPhone !== null && ctx.keys.check(store) === null;
  });
  // Said before anything is claimed: none of them can go from here with the stores' keys.
  const blocked = failed.map((f) => ctx.repo.getStore(f.storeId)).find((st) => st !== undefined && ctx.keys.check(st) !== null);
  if (sendable.length === 0 && blocked !== undefined) requireUsableKey(ctx, blocked);
  // Claimed only once known sendable from here, so a claim is never spent on a send that cannot go.
  const gate = sendable.length === 0 ? { allowed: new Set<string>(), note: null } : await claimBeforeResend(ctx, sendable.map((f) => f.externalId));
  const batchId = crypto.randomUUID();
  const items: NewOutboxItem[] = [];
  const missing: string[] = [];
  for (const f of failed) {
    const store = ctx.repo.getStore(f.storeId);
    const event = findSkioEvent(f.eventKey);
    if (store === undefined || event === undefined || store.testPhone === null || ctx.keys.check(store) !== null) {
      missing.push(store?.name ?? f.storeId);
      continue;
    }
    if (!gate.allowed.has(f.externalId)) continue; // already re-sent by someone: the note says who
    // Built here from the store as it is now: the teammate's exact bodies never came over.
    const settings = ctx.repo.listTriggers(store.id).find((t) => t.eventKey === event.key)?.settings ?? event.settings ?? {};
    items.push(testItem(store, event, batchId, settings));
  }
  if (items.length === 0) {
    throw new AppError('invalid_input', `None of these can be sent from here: ${[...new Set(missing)].slice(0, 5).join(', ')} (store gone or no Test Event User phone).`);
  }
  ctx.outbox.enqueue(items, { id: batchId, name: `Re-run of ${original.name} (taken over from ${owner})`, rerunOf: original.id });
  afterEnqueue(ctx);
  return { batchId, note: gate.note };
}
