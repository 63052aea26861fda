/**
 * The browser shell's transport: the same contract as Electron IPC, carried over loopback HTTP.
 *  - POST /__ipc/<channel>  JSON input -> IpcResult envelope
 *  - GET  /__events         Server-Sent Events for push events
 *  - GET  /__files/<name>   a file the app made (report, export), as a download (logs/exportFiles.ts says which)
 *  - GET  /                 the renderer, with the bridge script that installs window.postscriptConsole
 * Guarded by a per-launch token (exchanged once for an HttpOnly SameSite=Strict cookie), a Host
 * check against DNS rebinding, an Origin check on writes, and JSON-only bodies.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Core } from '../../app/core';
import { EXPORT_TYPES, resolveExportFile } from '../../logs/exportFiles';
import { RENDERER_CSP, RENDERER_FILE_TYPES } from '../rendererAssets';

const COOKIE = 'psc_session';
/**
 * Above the largest input the contract accepts, so the contract (with its own clear message) is what
 * refuses an input, never the transport: a hand-over file may be 1,000,000 characters, and JSON can
 * spell one character in up to 6 bytes (\uXXXX).
 */
export const MAX_IPC_BODY = 8 * 1024 * 1024;

export interface BrowserShellOptions {
  core: Core;
  /** Built renderer (out/renderer). */
  rendererDir: string;
  /** Built bridge script (out/preload/bridge.js). */
  bridgeFile: string;
  port?: number;
  host?: string;
  /** Fixed token for tests; random per launch otherwise. */
  token?: string;
  /** Told about requests that failed in an unexpected way (the fault log). */
  onFault?: (where: string, err: unknown) => void;
}

export interface BrowserShell {
  /** Origin, e.g. http://127.0.0.1:5173 */
  origin: string;
  /** The URL to open: origin plus the per-launch token. */
  launchUrl: string;
  close(): Promise<void>;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/** The request failed because its client went away (closed the connection before the body was in). */
function clientHungUp(req: http.IncomingMessage, err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (req.destroyed && !req.complete);
}

function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const indexHtml = fs
    .readFileSync(path.join(options.rendererDir, 'index.html'), 'utf8')
    // A classic script in <head> runs before the deferred module scripts of the renderer.
    .replace('<head>', '<head>\n    <script src="/__shell/bridge.js"></script>');
  const sseClients = new Set<http.ServerResponse>();
  let allowedHosts = new Set<string>();

  const security = (res: http.ServerResponse): void => {
    res.setHeader('content-security-policy', RENDERER_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
  };

  const deny = (res: http.ServerResponse, status: number, message: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(message);
  };

  const serveFile = (res: http.ServerResponse, file: string): void => {
    fs.readFile(file, (err, data) => {
      if (err !== null) return deny(res, 404, 'Not found');
      res.writeHead(200, {
        'content-type': RENDERER_FILE_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      res.end(data);
    });
  };

  /** A file the app made, as an attachment: the browser saves it (Downloads) instead of showing it. */
  const serveExport = (res: http.ServerResponse, encoded: string): void => {
    let file: string;
    try {
      file = resolveExportFile(options.core.ctx.exportsDir, decodeURIComponent(encoded));
    } catch (err) {
      return deny(res, 404, err instanceof Error ? err.message : 'Not found');
    }
    const name = path.basename(file);
    const stream = fs.createReadStream(file);
    stream.once('open', () => {
      res.writeHead(200, {
        'content-type': EXPORT_TYPES[path.extname(name)] ?? 'application/octet-stream',
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      });
      stream.pipe(res);
    });
    stream.once('error', () => {
      if (!res.headersSent) deny(res, 404, `${name} could not be read.`);
      else res.destroy();
    });
  };

  const handleIpc = async (req: http.IncomingMessage, res: http.ServerResponse, channel: string): Promise<void> => {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) return deny(res, 403, 'Cross-origin request refused.');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return deny(res, 415, 'Send application/json.');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_IPC_BODY) {
        // An IPC envelope, so the renderer shows the words, not "HTTP 413".
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ ok: false, error: { code: 'invalid_input', message: `This request is too large: at most ${MAX_IPC_BODY / 1024 / 1024} MB.` } }));
        return;
      }
      chunks.push(chunk as Buffer);
    }
    let input: unknown;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return deny(res, 400, 'Body is not JSON.');
    }
    const result = await options.core.router.invoke(channel, input);
    const text = JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(text);
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    security(res);
    if (!allowedHosts.has(req.headers.host ?? '')) return deny(res, 421, 'Unexpected Host header.');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://shell.local');
    } catch {
      return deny(res, 400, 'The request target is not a valid URL.');
    }

    // The launch URL carries the token once; trade it for a cookie and drop it from the address bar.
    const given = url.searchParams.get('token');
    if (req.method === 'GET' && url.pathname === '/' && given !== null) {
      if (!safeEqual(given, token)) return deny(res, 401, 'This link is from another launch. Use the URL printed by `npm start`.');
      res.writeHead(303, {
        'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: '/',
      });
      res.end();
      return;
    }
    const cookie = readCookie(req.headers.cookie, COOKIE);
    if (cookie === null || !safeEqual(cookie, token)) {
      return deny(res, 401, 'Postscript Console: open the URL printed by `npm start` (it carries this launch’s token).');
    }

    if (req.method === 'POST' && url.pathname.startsWith('/__ipc/')) {
      let channel: string;
      try {
        channel = decodeURIComponent(url.pathname.slice('/__ipc/'.length));
      } catch {
        return deny(res, 400, 'The channel name is not valid URL encoding.');
      }
      handleIpc(req, res, channel).catch((err: unknown) => {
        // A client that hung up mid-upload is not a fault of the app: nothing to answer or record.
        if (clientHungUp(req, err)) return void res.destroy();
        options.onFault?.('browser shell', err);
        if (!res.headersSent) deny(res, 500, 'IPC failed.');
        else res.destroy();
      });
      return;
    }
    if (req.method !== 'GET') return deny(res, 405, 'Method not allowed.');
    if (url.pathname === '/__events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      res.on('error', () => sseClients.delete(res));
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (url.pathname === '/__shell/bridge.js') return serveFile(res, options.bridgeFile);
    if (url.pathname.startsWith('/__files/')) return serveExport(res, url.pathname.slice('/__files/'.length));
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': RENDERER_FILE_TYPES['.html']!, 'cache-control': 'no-store' });
      res.end(indexHtml);
      return;
    }
    let file: string;
    try {
      file = path.resolve(options.rendererDir, `.${path.posix.normalize(decodeURIComponent(url.pathname))}`);
    } catch {
      return deny(res, 400, 'The path is not valid URL encoding.');
    }
    if (!file.startsWith(path.resolve(options.rendererDir) + path.sep) || file.includes('\0')) return deny(res, 404, 'Not found');
    serveFile(res, file);
  };

  // Whatever a request carries, it gets an answer; nothing it sends can end the process.
  const server = http.createServer((req, res) => {
    req.on('error', () => res.destroy());
    try {
      handle(req, res);
    } catch (err) {
      options.onFault?.('browser shell', err);
      if (!res.headersSent) deny(res, 500, 'The request could not be handled.');
      else res.destroy();
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  const unsubscribe = options.core.bus.onAny((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const client of sseClients) client.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const client of sseClients) client.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `${host}:${port}`]);
  const origin = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  return {
    origin,
    launchUrl: `${origin}/?token=${token}`,
    async close() {
      unsubscribe();
      clearInterval(heartbeat);
      for (const client of sseClients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
