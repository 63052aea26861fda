/**
 * After the webhook listener moved (Settings → Webhook listener), the registrations made for the
 * old address would deliver nowhere. Sandbox stores are re-registered to the new address by
 * themselves (the Sandbox is this app's own, and its registrations point straight at the
 * listener). Live stores are not touched: their registrations go through a tunnel the agent set
 * up, so re-registering without being asked could subscribe a URL nobody forwards. The agent is
 * told which live stores still point at the old address (an alert, the SKIP tester and the store's
 * readiness report), until they register again or remove the registration.
 */
import type { Repository } from '../db/store';
import { isActiveStore } from '../../src-shared/rules/activeStores';
import type { WebhookRepository } from '../db/webhooks';
import type { EventBus } from '../ipc/events';
import { clientForStore, type AccountDeps } from '../postscript/accounts';
import { PostscriptError } from '../postscript/client';
import { registrationHeaders, type SecretKeeper } from './storeSecret';

/** Kept per store while its registrations still point at a listener address it left. */
export interface ListenerMoved {
  /** The listener's base URL the registrations were made for. */
  from: string;
  /** Where the listener is now. */
  to: string;
  at: string;
  /** Sandbox only: why the automatic re-registration did not work (run Set up again). */
  failed: string | null;
}

export const listenerMovedKey = (storeId: string): string => `webhooks.listenerMoved.${storeId}`;

export interface ListenerMoveDeps extends Omit<AccountDeps, 'secrets'> {
  secrets: SecretKeeper['secrets'];
  repo: AccountDeps['repo'] & Pick<Repository, 'listStores' | 'getState' | 'setState' | 'deleteState'>;
  webhooks: SecretKeeper['webhooks'] & Pick<WebhookRepository, 'addRegistration' | 'removeRegistration'>;
  listener: { callbackUrl(storeId: string): string | null };
  bus: Pick<EventBus, 'emit'>;
}

export function listenerMovedOf(ctx: { repo: Pick<Repository, 'getState'> }, storeId: string): ListenerMoved | null {
  return ctx.repo.getState<ListenerMoved>(listenerMovedKey(storeId));
}

/** The store's registrations were made again (or removed): nothing points at an old address any more. */
export function clearListenerMoved(ctx: { repo: Pick<Repository, 'deleteState'> }, storeId: string): void {
  ctx.repo.deleteState(listenerMovedKey(storeId));
}

const ADDRESS_KEY = 'webhooks.listenerUrl';

/**
 * Remembers where the listener is (at start, and after each move) and returns where it was when
 * that differs: a start on another port (the usual one was taken, or an environment variable
 * changed it) moves the listener just as Settings does.
 */
export function rememberListenerUrl(ctx: { repo: Pick<Repository, 'getState' | 'setState'> }, url: string): string | null {
  const last = ctx.repo.getState<string>(ADDRESS_KEY);
  if (last === url) return null;
  ctx.repo.setState(ADDRESS_KEY, url);
  return last;
}

const under = (url: string, base: string): boolean => url.startsWith(`${base}/`);

/**
 * Moves one Sandbox store's registrations under `from` to the listener's current address: the new
 * one is made before the old one goes, so a delivery meanwhile reaches the listener.
 */
export async function reregisterSandboxStore(ctx: ListenerMoveDeps, storeId: string, from: string): Promise<number> {
  const callback = ctx.listener.callbackUrl(storeId);
  const stale = ctx.webhooks.registrations(storeId).filter((r) => under(r.callbackUrl, from) && r.callbackUrl !== callback);
  if (stale.length === 0 || callback === null) return 0;
  const client = clientForStore(ctx, storeId);
  for (const event of new Set(stale.map((r) => r.event))) {
    const hook = await client.createWebhook({ callback_url: callback, event, headers: registrationHeaders(ctx, storeId) });
    ctx.webhooks.addRegistration({ id: hook.id, storeId, callbackUrl: callback, event: hook.event });
  }
  for (const r of stale) {
    try {
      await client.deleteWebhook(r.id);
    } catch (err) {
      if (!(err instanceof PostscriptError && err.status === 404)) throw err; // already gone: forget it here too
    }
    ctx.webhooks.removeRegistration(r.id);
  }
  return stale.length;
}

/**
 * Called once the listener has moved from `from` to `to` (base URLs). Never throws: what could not
 * be done is said in the alert and kept in the store's state.
 */
export async function followListenerMove(ctx: ListenerMoveDeps, from: string, to: string): Promise<void> {
  const at = new Date().toISOString();
  const moved: string[] = [];
  const failed: string[] = [];
  const live: string[] = [];
  for (const store of ctx.repo.listStores()) {
    const regs = ctx.webhooks.registrations(store.id);
    const earlier = listenerMovedOf(ctx, store.id);
    // A store that was already pointing at an older address still points there.
    const origin = earlier?.from ?? from;
    if (regs.length === 0 || origin === to) {
      if (earlier !== null) clearListenerMoved(ctx, store.id);
      continue;
    }
    if (store.account === 'sandbox') {
      try {
        if ((await reregisterSandboxStore(ctx, store.id, origin)) > 0) moved.push(store.name);
        clearListenerMoved(ctx, store.id);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        ctx.repo.setState(listenerMovedKey(store.id), { from: origin, to, at, failed: why } satisfies ListenerMoved);
        failed.push(`${store.name} (${why})`);
      }
      continue;
    }
    // Live: a tunnel forwards Postscript's deliveries to the listener's old address.
    if (!isActiveStore(store)) continue;
    ctx.repo.setState(listenerMovedKey(store.id), { from: origin, to, at, failed: null } satisfies ListenerMoved);
    live.push(store.name);
  }
  const say = (level: 'info' | 'warning', message: string): void => ctx.bus.emit('alert', { level, message, at });
  if (moved.length > 0) say('info', `The webhook listener moved to ${to}: the Sandbox webhooks of ${moved.join(', ')} were registered to the new address.`);
  if (failed.length > 0) say('warning', `The webhook listener moved to ${to}, but the Sandbox webhooks of ${failed.join(', ')} could not be registered again: run “Set up” in the SKIP tester of each.`);
  if (live.length > 0) {
    say(
      'warning',
      `The webhook listener moved from ${from} to ${to}. These live stores still have webhooks registered through a tunnel to the old address: ${live.join(', ')}. ` +
        'Point the tunnel at the new address, or register the webhook again (SKIP tester). They were not changed in Postscript.',
    );
  }
  if (moved.length + failed.length + live.length > 0) ctx.bus.emit('changed', { topics: ['skip', 'stores'] });
}
