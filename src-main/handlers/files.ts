/**
 * Channels of the `files` area: the desktop app's "Show in folder" and "Open" for a file the app
 * made. Which files may be handed out is decided in one place (logs/exportFiles.ts), for these and
 * for the browser shell's downloads alike.
 */
import { AppError } from '../../src-shared/errors';
import { resolveExportFile } from '../logs/exportFiles';
import type { AreaHandlers, Router } from '../ipc/router';
import type { FileActions, MainContext } from './context';

export function fileHandlers(ctx: MainContext): AreaHandlers<'files'> {
  const actions = (): FileActions => {
    if (ctx.fileActions === null) throw new AppError('invalid_input', 'Only the desktop app shows or opens a file; in the browser, the file arrived as a download.');
    return ctx.fileActions;
  };
  return {
    reveal: async ({ name }) => {
      actions().reveal(resolveExportFile(ctx.exportsDir, name));
      return { ok: true as const };
    },
    open: async ({ name }) => {
      const failed = await actions().open(resolveExportFile(ctx.exportsDir, name));
      if (failed !== '') throw new AppError('internal', `${name} could not be opened: ${failed}. Use Show in folder and open it from there.`);
      return { ok: true as const };
    },
  };
}

export function registerFileHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('files', fileHandlers(ctx));
}
