/** The SKIP tester: set-up, the test subscription, simulations through the Sandbox, live registration. */
import { AppError } from '../../src-shared/errors';
import { findSkioEvent, SAMPLE_NEXT_BILLING_DATE } from '../../src-shared/events/catalog';
import type { SkipStatus } from '../../src-shared/ipc/contract';
import { maskSecret } from '../../src-shared/mask';
import { DEFAULT_REMINDER_TEMPLATE, fillTemplate, smsSize } from '../../src-shared/skip';
import { checkSkipWord, skipWordConflicts } from '../../src-shared/rules/skipWord';
import { normalizePhone } from '../../src-shared/validation/phone';
import { requireStore } from '../db/lookups';
import type { MainContext } from './context';
import type { StoreRow } from '../db/store';
import type { AreaHandlers, Router } from '../ipc/router';
import { testProperties } from '../outbox/enqueue';
import { baseUrlFor, clientForStore, postscriptFailure } from '../postscript/accounts';
import { PostscriptError } from '../postscript/client';
import { forgetSecretIfUnused, registrationHeaders, SECRET_HEADER } from '../webhooks/storeSecret';
import { clearListenerMoved, listenerMovedOf, reregisterSandboxStore } from '../webhooks/listenerMove';
import { OPTED_OUT_PHONE } from '../sandbox/state';

/** Whether the SKIP word is one of the shop's keywords, by the keyword list Postscript last gave (null: never read). */
export function skipWordConflict(ctx: MainContext, store: StoreRow): boolean | null {
  const list = ctx.said.evidenceOf(store.id).keywords;
  return list === null ? null : skipWordConflicts(store.skipWord, list.value.keywords);
}

export function skipStatus(ctx: MainContext, storeId: string): SkipStatus {
  const store = requireStore(ctx, storeId);
  const token = ctx.webhooks.getToken(storeId);
  const sub = ctx.webhooks.getSubscription(storeId);
  const follow = ctx.repo.listTriggers(storeId).find((t) => t.eventKey === 'next_billing_date_updated');
  return {
    listener: ctx.listener.status(),
    callbackUrl: ctx.listener.callbackUrl(storeId),
    tokenMask: token?.mask ?? null,
    tokenFetchedAt: token?.fetchedAt ?? null,
    skipWord: store.skipWord,
    keywordConflict: skipWordConflict(ctx, store),
    subscription: sub === undefined ? null : { phone: sub.phone, nextBillingDate: sub.nextBillingDate, intervalDays: sub.intervalDays, skippedCount: sub.skippedCount },
    registrations: ctx.webhooks.registrations(storeId).map(({ id, callbackUrl, event, createdAt }) => ({ id, callbackUrl, event, createdAt })),
    listenerMoved: listenerMovedOf(ctx, storeId),
    followUpEnabled: follow?.enabled === true,
  };
}

/** Postscript documents that keyword replies may not arrive as shop.incoming_message. */
async function checkConflict(ctx: MainContext, store: StoreRow): Promise<void> {
  const keywords = (await clientForStore(ctx, store.id).keywords()).map((k) => k.keyword);
  ctx.said.record(store.id, 'skip_setup', { keywords: { keywords } });
}

async function setup(ctx: MainContext, store: StoreRow): Promise<void> {
  const client = clientForStore(ctx, store.id);
  const baseUrl = baseUrlFor(ctx, store.account);
  try {
    const token = await client.webhookSigningToken();
    ctx.webhooks.saveToken(store.id, ctx.secrets.scheme, ctx.secrets.encrypt(token), maskSecret(token));
    await checkConflict(ctx, store);
  } catch (err) {
    throw postscriptFailure(err, 'Fetching the webhook signing token', baseUrl);
  }
  if (ctx.webhooks.getSubscription(store.id) === undefined) {
    if (store.testPhone === null) throw new AppError('invalid_input', 'Set the Test Event User first (setup step 3): the test subscription is theirs.');
    // The same sample date the test payloads carry, so the two never disagree.
    ctx.webhooks.saveSubscription(store.id, store.testPhone, SAMPLE_NEXT_BILLING_DATE, 30);
  }
  // In the Sandbox, the listener on loopback can be subscribed directly; live needs an HTTPS tunnel.
  const callback = ctx.listener.callbackUrl(store.id);
  if (store.account === 'sandbox' && callback !== null) {
    try {
      // Left at an address the listener moved from (re-registering failed then): moved now.
      const moved = listenerMovedOf(ctx, store.id);
      if (moved !== null) await reregisterSandboxStore(ctx, store.id, moved.from);
      clearListenerMoved(ctx, store.id);
      const headers = registrationHeaders(ctx, store.id);
      const existing = (await client.listWebhooks()).find((w) => w.callback_url === callback && w.event === 'shop.incoming_message');
      // One registered before the per-store secret (or with an old one) would be refused: replace it.
      if (existing !== undefined && existing.headers?.[SECRET_HEADER] !== headers[SECRET_HEADER]) {
        await client.deleteWebhook(existing.id);
        ctx.webhooks.removeRegistration(existing.id);
      }
      if (existing === undefined || existing.headers?.[SECRET_HEADER] !== headers[SECRET_HEADER]) {
        const hook = await client.createWebhook({ callback_url: callback, event: 'shop.incoming_message', headers });
        ctx.webhooks.addRegistration({ id: hook.id, storeId: store.id, callbackUrl: callback, event: hook.event });
      }
    } catch (err) {
      throw postscriptFailure(err, 'Subscribing the listener to shop.incoming_message', baseUrl);
    }
  }
}

export function skipHandlers(ctx: MainContext): AreaHandlers<'skip'> {
  const changed = (storeId: string): SkipStatus => {
    ctx.bus.emit('changed', { topics: ['skip'], storeId });
    return skipStatus(ctx, storeId);
  };
  return {
    status: async ({ storeId }) => skipStatus(ctx, storeId),

    setup: async ({ storeId }) => {
      await setup(ctx, requireStore(ctx, storeId));
      return changed(storeId);
    },

    setSubscription: async ({ storeId, phone, nextBillingDate, intervalDays }) => {
      requireStore(ctx, storeId);
      const p = normalizePhone(phone);
      if (!p.ok) throw new AppError('invalid_input', p.message, 'phone');
      if (Number.isNaN(Date.parse(`${nextBillingDate}T00:00:00Z`))) throw new AppError('invalid_input', 'That is not a calendar date.', 'nextBillingDate');
      ctx.webhooks.saveSubscription(storeId, p.e164, nextBillingDate, intervalDays);
      return changed(storeId);
    },

    setSkipWord: async ({ storeId, word }) => {
      const store = requireStore(ctx, storeId);
      const w = checkSkipWord(word);
      if (!w.ok) throw new AppError('invalid_input', w.message, 'word');
      ctx.repo.setSkipWord(storeId, w.word);
      try {
        await checkConflict(ctx, store);
      } catch {
        // Postscript did not answer: the list it gave last still stands, with its own time.
      }
      return changed(storeId);
    },

    simulate: async ({ storeId, variant }) => {
      let store = requireStore(ctx, storeId);
      if (store.account !== 'sandbox' || store.postscriptShopId === null) {
        throw new AppError('invalid_input', 'Simulations run against the Sandbox. For a live store, register the webhook and text the store’s number yourself.');
      }
      const stale = listenerMovedOf(ctx, storeId) !== null;
      if (stale || ctx.webhooks.getToken(storeId) === undefined || ctx.webhooks.getSubscription(storeId) === undefined || ctx.webhooks.registrations(storeId).length === 0) {
        await setup(ctx, store);
        store = requireStore(ctx, storeId);
      }
      const sub = ctx.webhooks.getSubscription(storeId)!;
      const word = store.skipWord;
      const lastId = ctx.webhooks.listInbound(storeId, undefined, 1)[0]?.id ?? 0;
      const send = (m: { body: string; isOptOut?: boolean; signature?: string; eventId?: string; fromNumber?: string }) =>
        ctx.sandbox.deliverIncomingMessage(store.postscriptShopId!, { fromNumber: sub.phone, ...m });
      const texted = `${word[0]}${word.slice(1).toLowerCase()}!`; // "Skip!": case and punctuation are tolerated
      let statuses: Array<number | null> = [];
      try {
        if (variant === 'skip') statuses = (await send({ body: texted })).first;
        if (variant === 'skip_please') statuses = (await send({ body: `${word.toLowerCase()} please` })).first;
        // Another number than the test subscriber's: the result then shows who opted out.
        if (variant === 'opted_out') statuses = (await send({ body: word, isOptOut: true, fromNumber: OPTED_OUT_PHONE })).first;
        if (variant === 'wrong_signature') statuses = (await send({ body: word, signature: 'not-the-signing-token' })).first;
        if (variant === 'duplicate') {
          const first = await send({ body: texted });
          const again = await send({ body: texted, eventId: first.eventId });
          statuses = [...first.first, ...again.first];
        }
      } catch (err) {
        throw new AppError('invalid_input', `The Sandbox could not deliver: ${err instanceof Error ? err.message : String(err)}`);
      }
      const rows = ctx.webhooks.listInbound(storeId, undefined, 20).filter((r) => r.id > lastId).reverse();
      const after = ctx.webhooks.getSubscription(storeId)!.nextBillingDate;
      return { statuses, rows, before: sub.nextBillingDate, after };
    },

    register: async ({ storeId, callbackUrl }) => {
      const store = requireStore(ctx, storeId);
      let url: URL;
      try {
        url = new URL(callbackUrl);
      } catch {
        throw new AppError('invalid_input', 'Enter the full HTTPS address of the tunnel, like https://abc123.example.dev/postscript/webhooks.', 'callbackUrl');
      }
      if (url.protocol !== 'https:' && store.account === 'live') {
        throw new AppError('invalid_input', 'Postscript only delivers to HTTPS addresses: expose the listener through an HTTPS tunnel and enter that address.', 'callbackUrl');
      }
      const client = clientForStore(ctx, storeId);
      try {
        const hook = await client.createWebhook({ callback_url: url.toString(), event: 'shop.incoming_message', headers: registrationHeaders(ctx, storeId) });
        ctx.webhooks.addRegistration({ id: hook.id, storeId, callbackUrl: hook.callback_url, event: hook.event });
        clearListenerMoved(ctx, storeId); // registered again: the agent has pointed it at the listener as it is now
      } catch (err) {
        forgetSecretIfUnused(ctx, storeId); // a secret no registration carries would refuse older webhooks
        throw postscriptFailure(err, 'Registering the webhook', baseUrlFor(ctx, store.account), 'callbackUrl');
      }
      return changed(storeId);
    },

    unregister: async ({ storeId, webhookId }) => {
      const store = requireStore(ctx, storeId);
      try {
        await clientForStore(ctx, storeId).deleteWebhook(webhookId);
      } catch (err) {
        // Already gone in Postscript: forget it here too.
        if (!(err instanceof PostscriptError && err.status === 404)) throw postscriptFailure(err, 'Removing the webhook', baseUrlFor(ctx, store.account));
      }
      ctx.webhooks.removeRegistration(webhookId);
      forgetSecretIfUnused(ctx, storeId);
      if (ctx.webhooks.registrations(storeId).length === 0) clearListenerMoved(ctx, storeId);
      return changed(storeId);
    },

    inbound: async ({ storeId, beforeId, limit }) => {
      const rows = ctx.webhooks.listInbound(storeId, beforeId, limit + 1);
      const page = rows.slice(0, limit);
      return { rows: page, nextBeforeId: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
    },

    reminderPreview: async ({ storeId, template }) => {
      const store = requireStore(ctx, storeId);
      const event = findSkioEvent('billing_reminder')!;
      const settings = ctx.repo.listTriggers(storeId).find((t) => t.eventKey === event.key)?.settings ?? event.settings ?? {};
      const t = template ?? DEFAULT_REMINDER_TEMPLATE;
      // The test subscription's real next date, when there is one: that is what the reminder would say.
      const sub = ctx.webhooks.getSubscription(storeId);
      const values = { ...testProperties(event, store, settings), ...(sub === undefined ? {} : { nextBillingDate: sub.nextBillingDate }), skipWord: store.skipWord };
      const text = fillTemplate(t, values);
      return { template: t, text, ...smsSize(text) };
    },
  };
}

export function registerSkipHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('skip', skipHandlers(ctx));
}
