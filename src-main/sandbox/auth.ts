/**
 * Who is calling the Sandbox's Postscript API: Bearer auth with a private (sk_) key, or a partner
 * key plus X-Postscript-Shop-Token. Every call counts against its token's 15 requests per second
 * (before the key is checked) and is answered 429 / 3002 beyond that.
 */
import type http from 'node:http';
import type { SlidingWindowLimiter } from '../ratelimit/slidingWindow';
import type { SandboxStats } from './faults';
import { HttpError, SANDBOX_ERRORS } from './http';
import type { SandboxShop, SandboxState } from './state';

export function authenticate(state: SandboxState, limiter: SlidingWindowLimiter, stats: SandboxStats, req: http.IncomingMessage): SandboxShop {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match?.[1] === undefined) {
    throw new HttpError(401, SANDBOX_ERRORS.unauthorized, 'Missing API key: send "Authorization: Bearer <private key>".');
  }
  const key = match[1];
  const shopToken = req.headers['x-postscript-shop-token'];
  const tokenId = typeof shopToken === 'string' ? `${key}|${shopToken}` : key;
  if (!limiter.tryAcquire(tokenId)) {
    stats.rateLimited += 1;
    throw new HttpError(429, SANDBOX_ERRORS.rateLimited, 'Rate limit exceeded');
  }
  if (key.startsWith('pk_')) {
    throw new HttpError(401, SANDBOX_ERRORS.publicKey, 'Public keys cannot authorize API requests. Use a private API key (sk_).');
  }
  if (state.isPartnerKey(key)) {
    if (typeof shopToken !== 'string') {
      throw new HttpError(400, SANDBOX_ERRORS.validation, 'Partner requests need the X-Postscript-Shop-Token header.');
    }
    const shop = state.shopByPrivateKey(shopToken);
    if (shop === undefined) throw new HttpError(401, SANDBOX_ERRORS.unauthorized, 'Invalid shop token.');
    return shop;
  }
  const shop = state.shopByPrivateKey(key);
  if (shop === undefined) throw new HttpError(401, SANDBOX_ERRORS.unauthorized, 'Invalid API key.');
  return shop;
}
