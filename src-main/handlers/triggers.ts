import { AppError } from '../../src-shared/errors';
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { MainContext } from '../app/context';
import type { AreaHandlers, Router } from '../ipc/router';

export function triggerHandlers(ctx: MainContext): AreaHandlers<'triggers'> {
  return {
    set: async ({ storeId, eventKey, enabled }) => {
      if (ctx.repo.getStore(storeId) === undefined) throw new AppError('not_found', 'This store no longer exists.');
      if (findSkioEvent(eventKey) === undefined) throw new AppError('invalid_input', `Unknown event ${eventKey}.`, 'eventKey');
      ctx.repo.setTriggerEnabled(storeId, eventKey, enabled);
      ctx.bus.emit('changed', { topics: ['triggers', 'stores'], storeId });
      return ctx.repo.listTriggers(storeId).find((t) => t.eventKey === eventKey)!;
    },
  };
}

export function registerTriggerHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('triggers', triggerHandlers(ctx));
}
