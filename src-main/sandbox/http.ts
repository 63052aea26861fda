/**
 * The Sandbox's HTTP plumbing: Postscript's flat error envelope, JSON answers, and request bodies
 * read with the same 1 MB limit. Error codes: Postscript publishes only 3001 (not found) and 3002
 * (rate limit). The others are the Sandbox's own, in the same envelope, so clients can be tested
 * on the shape.
 */
import type http from 'node:http';

export const SANDBOX_ERRORS = {
  unauthorized: 1001,
  publicKey: 1002,
  forbidden: 1003,
  validation: 2001,
  notFound: 3001,
  rateLimited: 3002,
  internal: 5000,
} as const;

const MAX_BODY = 1024 * 1024;

/** Thrown by a route; the server answers it in Postscript's error envelope. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: http.ServerResponse, status: number, errorCode: number, message: string): void {
  sendJson(res, status, { error_code: errorCode, error_message: message, success: false });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, SANDBOX_ERRORS.validation, 'Request body is larger than 1 MB.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The body as a JSON object; an empty body is `{}`. */
export async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, SANDBOX_ERRORS.validation, 'Request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, SANDBOX_ERRORS.validation, 'Request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
