/** Turns a store into a ready Postscript client: right base URL for its account, decrypted key. */
import crypto from 'node:crypto';
import { AppError } from '../../src-shared/errors';
import type { Account } from '../../src-shared/ipc/contract';
import { requireStore } from '../db/lookups';
import type { Repository } from '../db/store';
import type { NetworkRoute } from '../network/route';
import type { CompletionWindowLimiter } from '../ratelimit/completionWindow';
import type { SecretBox } from '../secrets/secretBox';
import { unreadableKeyMessage } from '../team/teamKey';
import { PostscriptClient, PostscriptError } from './client';

/** What turning a store into a client needs from the main process (the app's context has all of it). */
export interface AccountDeps {
  /** Where live Postscript is and how to reach it (proxy, CAs): the Settings service. */
  settings: { liveBaseUrl(): string; network: { route(): NetworkRoute } };
  sandbox: { readonly url: string | null };
  /** One pacer per API token, shared by every call the app makes. */
  pacer: Pick<CompletionWindowLimiter, 'acquire' | 'release'>;
  repo: Pick<Repository, 'getStore' | 'getCredential'>;
  secrets: Pick<SecretBox, 'decrypt'>;
}

/**
 * How calls for an account travel: live Postscript through the configured proxy and CAs; the
 * Sandbox (in this process, on loopback) directly, on the shared pool.
 */
export function routeFor(ctx: Pick<AccountDeps, 'settings'>, account: Account): NetworkRoute | undefined {
  return account === 'live' ? ctx.settings.network.route() : undefined;
}

export function baseUrlFor(ctx: Pick<AccountDeps, 'settings' | 'sandbox'>, account: Account): string {
  if (account === 'live') return ctx.settings.liveBaseUrl();
  const url = ctx.sandbox.url;
  if (url === null) throw new AppError('unreachable', 'The Sandbox is not running. Restart the app.');
  return url;
}

export function keyFingerprint(key: string): string {
  return crypto.createHash('sha256').update(key.trim()).digest('hex');
}

/** The shared pacer bound to one token (a key's fingerprint). */
export function pacerFor(ctx: Pick<AccountDeps, 'pacer'>, token: string): NonNullable<ConstructorParameters<typeof PostscriptClient>[0]['pacer']> {
  return { token, acquire: (t) => ctx.pacer.acquire(t), release: (t) => ctx.pacer.release(t) };
}

export function clientForStore(ctx: AccountDeps, storeId: string): PostscriptClient {
  const store = requireStore(ctx, storeId);
  const cred = ctx.repo.getCredential(storeId);
  if (cred === undefined) throw new AppError('invalid_key', `${store.name} has no API key. Add one in the store’s settings.`);
  const key = ctx.secrets.decrypt(cred.scheme, cred.ciphertext);
  if (key === null) {
    throw new AppError(
      'secret_unavailable',
      unreadableKeyMessage(cred.scheme, store.name) ??
      `The API key for ${store.name} was saved in a way this app cannot read here (saved by the other shell or on another machine). Enter the key again.`,
    );
  }
  const route = routeFor(ctx, store.account);
  return new PostscriptClient({
    baseUrl: baseUrlFor(ctx, store.account),
    auth: { kind: 'shop', apiKey: key },
    pacer: pacerFor(ctx, cred.fingerprint),
    ...(route === undefined ? {} : { route }),
  });
}

/** Maps a failed Postscript call to what the agent should read. `what` names the action. */
export function postscriptFailure(err: unknown, what: string, baseUrl: string, field?: string): AppError {
  if (!(err instanceof PostscriptError)) return err instanceof AppError ? err : new AppError('internal', `${what} failed unexpectedly.`);
  if (err.kind === 'network' && (err.failure === 'proxy' || err.failure === 'tls')) {
    // Already says which proxy or certificate, and what to change.
    return new AppError('unreachable', `${what} failed: ${err.message}`);
  }
  if (err.kind === 'network') {
    return new AppError(
      'unreachable',
      `${what} failed: could not reach Postscript at ${baseUrl} (${err.message}) Check the connection and try again.`,
    );
  }
  if (err.status === 401 || err.status === 403) {
    return new AppError(
      'invalid_key',
      `Postscript refused this API key (${err.message}). Check that you copied the whole private key (sk_…) for this store, or create a new one in Postscript → Settings → API.`,
      field,
    );
  }
  if (err.status === 429) {
    return new AppError('rate_limited', `${what}: Postscript is rate-limiting this key (15 requests per second). Wait a moment and try again.`);
  }
  return new AppError('postscript_error', `${what}: Postscript answered ${err.status ?? ''} ${err.message}`.trim(), field);
}
