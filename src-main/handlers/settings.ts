/** The Settings screen: read, save (all or nothing, applied at once), check the connection. */
import type { MainContext } from './context';
import type { AreaHandlers, Router } from '../ipc/router';

export function settingsHandlers(ctx: MainContext): AreaHandlers<'settings'> {
  return {
    get: async () => ctx.settings.view(),
    save: async (input) => ctx.settings.save(input),
    checkConnection: async () => ctx.settings.checkConnection(),
  };
}

export function registerSettingsHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('settings', settingsHandlers(ctx));
}
