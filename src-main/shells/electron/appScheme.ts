/**
 * The renderer's own origin: `postscript-console://app/…`, a privileged custom scheme served by
 * `protocol.handle` from the built renderer, instead of `file://` (where every page shares one
 * origin and may read local files). Every answer, a refusal included, carries the
 * Content-Security-Policy as a header. The handler is pure Node (fs, Response), so it is tested as is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RENDERER_CSP, RENDERER_FILE_TYPES } from '../rendererAssets';

export { RENDERER_CSP };

export const APP_SCHEME = 'postscript-console';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The scheme's privileges, registered before the app is ready: standard (relative URLs, storage),
 * secure (a secure context, like https), fetch for the renderer's own assets. It does not bypass
 * CSP, gets no service workers, and is not `corsEnabled` (which would let other origins read it).
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, bypassCSP: false, allowServiceWorkers: false, corsEnabled: false } as const;

/** Is this URL a page or asset of the app's own origin? (Node's URL gives custom schemes no `origin`.) */
export function isAppUrl(url: string | undefined, host: string = APP_HOST): boolean {
  if (url === undefined) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === host && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

function headers(csp: string, type?: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
    ...(type === undefined ? { 'content-type': 'text/plain; charset=utf-8' } : { 'content-type': type }),
  };
}

/** A refusal, with the policy like every other answer. */
export function refusal(status: number, text: string, csp: string): Response {
  return new Response(text, { status, headers: headers(csp) });
}

/** One file, with its type and the policy. */
export async function fileResponse(file: string, csp: string, method = 'GET'): Promise<Response> {
  try {
    const body = await fs.promises.readFile(file);
    return new Response(method === 'HEAD' ? null : body, { status: 200, headers: headers(csp, RENDERER_FILE_TYPES[path.extname(file)] ?? 'application/octet-stream') });
  } catch {
    return refusal(404, 'Not found', csp);
  }
}

/**
 * Answers `GET <scheme>://<host>/<path>` with the file `<dir>/<path>`, never one outside `dir`
 * (no `..`, no symlink out), each answer with `csp`. Another host or method is refused.
 */
export function serveDirectory(dir: string, csp: string, host: string = APP_HOST): (request: Request) => Promise<Response> {
  const root = path.resolve(dir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'Method not allowed', csp);
    if (!isAppUrl(request.url, host)) return refusal(403, 'Forbidden', csp);
    let relative: string;
    try {
      relative = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return refusal(400, 'Bad request', csp);
    }
    if (relative === '/' || relative === '') relative = '/index.html';
    const file = path.resolve(root, `.${relative}`);
    if (!file.startsWith(root + path.sep)) return refusal(404, 'Not found', csp);
    try {
      // realpath: a symlink inside the directory must not lead out of it.
      const [real, realRoot] = await Promise.all([fs.promises.realpath(file), fs.promises.realpath(root)]);
      if (!real.startsWith(realRoot + path.sep)) return refusal(404, 'Not found', csp);
      return await fileResponse(real, csp, request.method);
    } catch {
      return refusal(404, 'Not found', csp);
    }
  };
}
