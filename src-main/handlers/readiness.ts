/** Go-live: readiness checks, the report, the health watch and its history. */
import { AppError } from '../../src-shared/errors';
import { requireStore } from '../db/lookups';
import type { MainContext } from './context';
import type { AreaHandlers, Router } from '../ipc/router';
import { baseUrlFor } from '../postscript/accounts';
import { readinessOf, toHealthRecord } from '../readiness/checks';
import { probeStore } from '../readiness/recheck';
import { makeBatchReport, makeStoreReport } from '../readiness/reports';
import { revokeKey } from '../sandbox/routes/keys';

export function readinessHandlers(ctx: MainContext): AreaHandlers<'readiness'> {
  return {
    get: async ({ storeId }) => readinessOf(ctx, storeId),

    recheck: async ({ storeId }) => {
      requireStore(ctx, storeId);
      const result = await probeStore(ctx, storeId, { full: true, source: 'recheck' });
      if (result.kind === 'offline') {
        throw new AppError('unreachable', `Could not reach Postscript at ${result.endpoint} (${result.reason}). Nothing was changed; check the connection and try again.`);
      }
      if (result.kind === 'skipped') throw new AppError('postscript_error', `Postscript could not answer just now (${result.reason}). Nothing was changed; try again in a moment.`);
      ctx.watch.record(storeId, result.status, result.problems, 'manual');
      ctx.bus.emit('changed', { topics: ['stores', 'triggers', 'skip', 'storeHealth'], storeId });
      return readinessOf(ctx, storeId);
    },

    report: async ({ storeId }) => makeStoreReport(ctx, storeId),

    batchReport: async ({ batchId }) => makeBatchReport(ctx, batchId),

    watchStatus: async () => ctx.watch.status(),

    setWatch: async (change) => {
      ctx.watch.setSettings(change);
      return ctx.watch.status();
    },

    runWatch: async ({ storeId }) => {
      if (storeId !== undefined) requireStore(ctx, storeId);
      await ctx.watch.runNow(storeId, 'manual');
      return ctx.watch.status();
    },

    history: async ({ storeId, limit }) => {
      requireStore(ctx, storeId);
      return ctx.storeHealth.history(storeId, limit).map((h) => toHealthRecord(h));
    },

    revokeSandboxKey: async ({ storeId }) => {
      const store = requireStore(ctx, storeId);
      if (store.account !== 'sandbox') throw new AppError('invalid_input', 'Only a Sandbox store’s key can be revoked here. Revoke a live key in Postscript → Settings → API.');
      baseUrlFor(ctx, store.account); // the Sandbox must be running
      const cred = ctx.repo.getCredential(storeId);
      const key = cred === undefined ? null : ctx.secrets.decrypt(cred.scheme, cred.ciphertext);
      if (key === null || !revokeKey(ctx.sandbox.state, key)) throw new AppError('not_found', 'The Sandbox no longer has this store’s key (already revoked, or the Sandbox was reset).');
      ctx.bus.emit('changed', { topics: ['sandbox'], storeId });
      return { ok: true as const };
    },
  };
}

export function registerReadinessHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('readiness', readinessHandlers(ctx));
}
