/**
 * Electron's security checklist, applied to every session and web contents the app makes, not only
 * the main window: so a window made later (the report printer) cannot escape the rules.
 *  - permissions: every request and check answered "deny" (notifications come from main, which
 *    needs none);
 *  - navigation: a page may not go anywhere but the app's own origin; links on the allow-list open
 *    in the agent's browser instead;
 *  - new windows: always denied (allowed links open outside, as above);
 *  - `<webview>`: never attached;
 *  - IPC: answered only for the top frame of the app's own origin.
 */
import type { App, IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { isAppUrl } from './appScheme';
import { externalLinkTarget } from './externalLinks';

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Hosts of the app's scheme a web contents may show: the renderer's, and the report printer's. */
export function guardAllWebContents(app: App, allowedHosts: readonly string[], openExternal: (url: string) => void): void {
  const own = (url: string): boolean => allowedHosts.some((host) => isAppUrl(url, host));
  const leave = (url: string): void => {
    const target = externalLinkTarget(url);
    if (target !== null) openExternal(target);
  };
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (own(url)) return;
      event.preventDefault();
      leave(url);
    });
    // Frames inside the page too (the page has none of its own).
    contents.on('will-frame-navigate', (event) => {
      if (!own(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!own(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      leave(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** An IPC call is answered only from the app's own page, in its top frame. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}
