/** The new-store wizard's draft (steps before a store exists), kept so a restart loses nothing. */
import { AppError } from '../../src-shared/errors';
import { StoreConfigFile } from '../../src-shared/storeConfig';
import type { WizardDraft } from '../../src-shared/ipc/contract';
import type { MainContext } from './context';
import { requireFreeShopDomain } from './storeDomain';
import type { AreaHandlers, Router } from '../ipc/router';

const DRAFT_KEY = 'wizard.newStoreDraft';

export function wizardHandlers(ctx: MainContext): AreaHandlers<'wizard'> {
  return {
    getDraft: async () => ctx.repo.getState<WizardDraft>(DRAFT_KEY),
    saveDraft: async (draft) => {
      ctx.repo.setState(DRAFT_KEY, draft);
      ctx.bus.emit('changed', { topics: ['draft'] });
      return { ok: true as const };
    },
    checkStore: async ({ shopDomain }) => {
      requireFreeShopDomain(ctx.repo, shopDomain);
      return { ok: true as const };
    },
    clearDraft: async () => {
      ctx.repo.deleteState(DRAFT_KEY);
      ctx.bus.emit('changed', { topics: ['draft'] });
      return { ok: true as const };
    },
    importConfig: async ({ json, fileName }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(json);
      } catch {
        throw new AppError('invalid_input', `${fileName} is not a JSON file. Choose the file exported with “Export setup”.`, 'file');
      }
      const parsed = StoreConfigFile.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError(
          'invalid_input',
          `${fileName} is not a Postscript Console setup file (${issue === undefined ? 'unknown shape' : `${issue.path.join('.') || 'file'}: ${issue.message}`}).`,
          'file',
        );
      }
      const { store, triggers } = parsed.data;
      const draft: WizardDraft = {
        step: 'store',
        name: store.name,
        shopDomain: store.shopDomain,
        account: store.account,
        keyword: store.keyword ?? '',
        testPhone: store.testPhone ?? '',
        triggers,
        importedFrom: fileName,
      };
      ctx.repo.setState(DRAFT_KEY, draft);
      ctx.bus.emit('changed', { topics: ['draft'] });
      return draft;
    },
  };
}

export function registerWizardHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('wizard', wizardHandlers(ctx));
}
