/**
 * The outbox's Postscript client per store, cached: the right endpoint and route for its account,
 * its decrypted key, and its pacing token. A store whose key waits to be checked (saved offline)
 * has none yet, so its items wait; one whose key Postscript refused cannot send at all.
 */
import { AppError } from '../../src-shared/errors';
import type { Repository } from '../db/store';
import type { NetworkRoute } from '../network/route';
import { PostscriptClient } from '../postscript/client';
import type { SecretBox } from '../secrets/secretBox';
import { unreadableKeyMessage } from '../team/teamKey';
import type { EndpointRoutes } from './endpointRoutes';

export interface StoreClient {
  client: PostscriptClient;
  endpoint: string;
  token: string;
  route: NetworkRoute | undefined;
}

export const REFUSED_KEY_REASON = (storeName: string): string =>
  `Not sent: Postscript refused the API key of ${storeName}. Enter the store’s correct private key (sk_…) on its page, then send the test again.`;

export interface StoreClientDeps {
  repo: Pick<Repository, 'getStore' | 'getCredential'>;
  secrets: Pick<SecretBox, 'decrypt'>;
  baseUrlFor(account: 'sandbox' | 'live'): string;
  routeFor?(account: 'sandbox' | 'live'): NetworkRoute | undefined;
}

export class StoreClients {
  private readonly clients = new Map<string, StoreClient>();

  constructor(
    private readonly deps: StoreClientDeps,
    private readonly routes: EndpointRoutes,
    private readonly timeoutMs: number,
  ) {}

  /** The store's client; null while its key waits to be checked. Throws when it cannot send at all. */
  /** The client already made for a store, without making one (reading status must not decrypt keys). */
  cached(storeId: string): StoreClient | undefined {
    return this.clients.get(storeId);
  }

  get(storeId: string): StoreClient | null {
    const cached = this.clients.get(storeId);
    if (cached !== undefined) return cached;
    const store = this.deps.repo.getStore(storeId);
    const cred = this.deps.repo.getCredential(storeId);
    if (store === undefined || cred === undefined) throw new AppError('not_found', 'The store or its key no longer exists.');
    if (cred.status === 'unchecked') return null;
    // Sending with a key Postscript has refused cannot succeed, and an offline-saved store's tests
    // would otherwise all fail one by one with 401s: say why once, per item, without sending.
    if (cred.status === 'invalid') throw new AppError('invalid_key', REFUSED_KEY_REASON(store.name));
    const key = this.deps.secrets.decrypt(cred.scheme, cred.ciphertext);
    if (key === null) {
      throw new AppError('secret_unavailable', unreadableKeyMessage(cred.scheme, store.name) ?? `The API key of ${store.name} cannot be read here: enter it again.`);
    }
    const endpoint = this.deps.baseUrlFor(store.account);
    const route = this.deps.routeFor?.(store.account);
    this.routes.remember(endpoint, route);
    const entry = {
      client: new PostscriptClient({ baseUrl: endpoint, auth: { kind: 'shop', apiKey: key }, timeoutMs: this.timeoutMs, ...(route === undefined ? {} : { route }) }),
      endpoint,
      token: cred.fingerprint,
      route,
    };
    this.clients.set(storeId, entry);
    return entry;
  }

  forget(storeId: string): void {
    this.clients.delete(storeId);
  }

  clear(): void {
    this.clients.clear();
  }
}
