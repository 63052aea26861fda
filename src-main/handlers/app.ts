/** Channels of the `app` area: version, data directory, live base URL. */
import type { MainContext } from './context';
import type { AreaHandlers, Router } from '../ipc/router';

export function appHandlers(ctx: MainContext): AreaHandlers<'app'> {
  return {
    info: async () => ({ version: ctx.version, dataDir: ctx.dataDir, liveBaseUrl: ctx.settings.liveBaseUrl(), files: ctx.fileActions === null ? ('download' as const) : ('desktop' as const) }),
  };
}

export function registerAppHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('app', appHandlers(ctx));
}
