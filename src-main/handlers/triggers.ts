/** Channels of the `triggers` area: turning a store's Skio events on or off, with their settings. */
import { AppError } from '../../src-shared/errors';
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { MainContext } from './context';
import type { AreaHandlers, Router } from '../ipc/router';

export function triggerHandlers(ctx: MainContext): AreaHandlers<'triggers'> {
  return {
    set: async ({ storeId, eventKey, enabled, daysBefore, skioSmsAlso }) => {
      if (ctx.repo.getStore(storeId) === undefined) throw new AppError('not_found', 'This store no longer exists.');
      const event = findSkioEvent(eventKey);
      if (event === undefined) throw new AppError('invalid_input', `Unknown event ${eventKey}.`, 'eventKey');
      if (daysBefore !== undefined && event.settings?.daysBefore === undefined) {
        throw new AppError('invalid_input', `${event.name} has no “days before” setting.`, 'daysBefore');
      }
      const current = ctx.repo.listTriggers(storeId).find((t) => t.eventKey === eventKey);
      ctx.repo.updateTrigger(
        storeId,
        eventKey,
        {
          ...(enabled === undefined ? {} : { enabled }),
          ...(skioSmsAlso === undefined ? {} : { skioSmsAlso }),
          ...(daysBefore === undefined ? {} : { settings: { ...(current?.settings ?? event.settings ?? {}), daysBefore } }),
        },
        { settings: event.settings ?? {} },
      );
      ctx.bus.emit('changed', { topics: ['triggers', 'stores'], storeId, storeIds: [storeId] });
      return ctx.repo.listTriggers(storeId).find((t) => t.eventKey === eventKey)!;
    },
  };
}

export function registerTriggerHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('triggers', triggerHandlers(ctx));
}
