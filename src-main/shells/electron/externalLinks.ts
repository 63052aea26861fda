/**
 * Links that leave the app (Postscript's and Skio's help and dashboards) open in the agent's own
 * browser, and only these: `https:` on a host of this list. Anything else is dropped, so a page
 * that got script into the window still cannot make the OS open `file:`, `smb:` or a custom handler.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'postscript.io',
  'app.postscript.io',
  'help.postscript.io',
  'developers.postscript.io',
  'skio.com',
  'help.skio.com',
  'dashboard.skio.com',
];

/** The URL to hand to the OS, or null when it must not leave the app. */
export function externalLinkTarget(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return null;
  return EXTERNAL_HOSTS.includes(u.hostname) ? u.toString() : null;
}
