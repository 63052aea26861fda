/** Channels of the `stores` area: adding a store (key checked with Postscript), its Test Event User, keyword, key rotation, health, archive and hand-over file. */
import crypto from 'node:crypto';
import { AppError } from '../../src-shared/errors';
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { CreateStoreInput, TestUserCheck } from '../../src-shared/ipc/contract';
import { maskSecret } from '../../src-shared/mask';
import { STORE_CONFIG_FORMAT, type StoreConfigFile } from '../../src-shared/storeConfig';
import { checkApiKeyFormat } from '../../src-shared/validation/apiKey';
import { checkKeywordText, checkNewStoreKeyword, matchKeyword } from '../../src-shared/rules/keyword';
import { normalizePhone } from '../../src-shared/validation/phone';
import { requireStore } from '../db/lookups';
import type { MainContext } from './context';
import type { StoreRow } from '../db/store';
import type { AreaHandlers, Router } from '../ipc/router';
import { baseUrlFor, clientForStore, keyFingerprint, pacerFor, postscriptFailure, routeFor } from '../postscript/accounts';
import { PostscriptClient, PostscriptError, type Identity } from '../postscript/client';
import { checkTestUser } from '../postscript/testUser';
import { NO_TRANSACTIONAL_PHONE, OPTED_IN_PHONE } from '../sandbox/state';
import { requireFreeShopDomain } from './storeDomain';
import { configTriggers, saveUnchecked } from './storesOffline';
import { storeDetail, toSummary } from './storeViews';

/** A pasted key, checked before any network call; or, for the Sandbox, a new shop and key. */
function resolveKey(ctx: MainContext, credential: CreateStoreInput['credential'], account: 'sandbox' | 'live', sandboxShopName: string): string {
  if (credential.kind === 'paste') {
    const check = checkApiKeyFormat(credential.apiKey);
    if (!check.ok) throw new AppError(check.reason === 'public_key' ? 'public_key' : 'invalid_key', check.message, 'apiKey');
    if (check.kind === 'partner') {
      throw new AppError('invalid_key', 'This is a partner key (sk_partner_). Paste the store’s own private key that you created for Skio.', 'apiKey');
    }
    return check.key;
  }
  if (account !== 'sandbox') {
    throw new AppError('invalid_input', 'Only Sandbox stores can get a generated key. For live Postscript, paste a new private key made for Skio.', 'apiKey');
  }
  return ctx.sandbox.state.createShop(sandboxShopName).privateKey;
}

/**
 * The replacement key: a pasted one (an empty field says to paste it), or for a Sandbox store a new
 * key of its own Sandbox shop (a new shop would never pass the same-shop check).
 */
function rotationKey(ctx: MainContext, store: StoreRow, credential: CreateStoreInput['credential']): string {
  if (credential.kind === 'paste') {
    if (credential.apiKey.trim() === '') throw new AppError('invalid_input', 'Paste the new key: create a private key for Skio in Postscript → Settings → API, then paste it here.', 'apiKey');
    return resolveKey(ctx, credential, store.account, store.name);
  }
  return newSandboxKey(ctx, store).apiKey;
}

/** A new private key for a Sandbox store's own Sandbox shop, as Postscript → Settings → API would make. */
function newSandboxKey(ctx: MainContext, store: StoreRow): { shopName: string; apiKey: string } {
  if (store.account !== 'sandbox') {
    throw new AppError('invalid_input', 'Only a Sandbox store gets a key made here. For live Postscript, create a private key in Postscript → Settings → API.', 'apiKey');
  }
  const shop = store.postscriptShopId === null ? undefined : ctx.sandbox.state.shopById(store.postscriptShopId);
  if (shop === undefined) {
    throw new AppError('not_found', 'The Sandbox has no shop for this store (the Sandbox was reset, or the key was never checked). Add the store again with a new Sandbox key.', 'apiKey');
  }
  return { shopName: shop.name, apiKey: ctx.sandbox.state.mintKey(shop.id) };
}

function assertKeyNotReused(ctx: MainContext, apiKey: string, fingerprint: string, exceptStoreId?: string): void {
  // A teammate's key arrives with the team's keyed fingerprint (an HMAC under the team key).
  const teamFingerprint = ctx.team.teamFingerprint(apiKey);
  const reused = ctx.repo.findStoreByKeyFingerprint(fingerprint) ?? (teamFingerprint === null ? undefined : ctx.repo.findStoreByKeyFingerprint(teamFingerprint));
  if (reused !== undefined && reused.id !== exceptStoreId) {
    throw new AppError(
      'conflict',
      `This key is already used by “${reused.name}”. Create a new API key specific to Skio for this store (Postscript → Settings → API).`,
      'apiKey',
    );
  }
}

/** A client for a key not saved yet (being checked before it is). */
function newClient(ctx: MainContext, account: 'sandbox' | 'live', apiKey: string, fingerprint: string): PostscriptClient {
  const route = routeFor(ctx, account);
  return new PostscriptClient({
    baseUrl: baseUrlFor(ctx, account),
    auth: { kind: 'shop', apiKey },
    timeoutMs: 10_000,
    pacer: pacerFor(ctx, fingerprint),
    ...(route === undefined ? {} : { route }),
  });
}

/** The key's shop, or why Postscript could not be asked (it is then saved to be checked later). */
async function identifyOrOffline(client: PostscriptClient, baseUrl: string): Promise<Identity | { offline: string }> {
  try {
    return await client.me();
  } catch (err) {
    if (err instanceof PostscriptError && err.kind === 'network') return { offline: err.message };
    throw postscriptFailure(err, 'Checking the API key', baseUrl, 'apiKey');
  }
}

function uncheckedTestUser(e164: string, why?: string): TestUserCheck {
  return {
    status: 'unchecked',
    e164,
    subscriberId: null,
    message: `Saved, not checked yet: Postscript is out of reach${why === undefined ? '' : ` (${why})`}. The app looks ${e164} up by itself when Postscript is back and tells you what it found.`,
  };
}

async function identify(client: PostscriptClient, baseUrl: string): Promise<Identity> {
  try {
    return await client.me();
  } catch (err) {
    throw postscriptFailure(err, 'Checking the API key', baseUrl, 'apiKey');
  }
}

/** The shop's keywords as Postscript lists them now. */
async function readKeywords(client: PostscriptClient, baseUrl: string): Promise<string[]> {
  try {
    return (await client.keywords()).map((k) => k.keyword);
  } catch (err) {
    throw postscriptFailure(err, 'Reading the shop’s keywords', baseUrl, 'keyword');
  }
}

/** The keyword must be one of the shop's keywords; otherwise say which ones are close. */
function checkKeyword(keywords: string[], keyword: string, shopName: string): string {
  const match = matchKeyword(keyword, keywords);
  if (match.ok) return match.keyword;
  const hint = match.suggestions.length > 0 ? ` Did you mean ${match.suggestions.join(' or ')}?` : '';
  const all = keywords.length > 0 ? ` Its keywords: ${keywords.join(', ')}.` : ' It has no keywords yet: create one in Postscript first.';
  throw new AppError('invalid_input', `“${keyword.trim()}” is not a keyword of ${shopName} in Postscript.${hint}${all}`, 'keyword');
}

/** Nobody can text a keyword to the Sandbox: it has seeded subscribers to choose from instead. */
function sandboxNotFound(e164: string): string {
  return `The Sandbox has no subscriber with ${e164}, and nobody can text a keyword to the Sandbox to opt in. Choose one of its subscribers: ${OPTED_IN_PHONE} is opted in to transactional texts, ${NO_TRANSACTIONAL_PHONE} is not.`;
}

/** A Test Event User Postscript was asked about, recorded with the rest of what it said. */
function recordTestUser(ctx: MainContext, storeId: string, source: 'setup' | 'check_health', check: TestUserCheck, options: { announce?: boolean } = {}): void {
  if (check.status === 'unchecked') return;
  ctx.said.record(storeId, source, { testUser: { phone: check.e164, status: check.status, subscriberId: check.subscriberId } }, options);
}

export function storeHandlers(ctx: MainContext): AreaHandlers<'stores'> {
  const changed = (storeId: string): void => ctx.bus.emit('changed', { topics: ['stores', 'triggers'], storeId, storeIds: [storeId] });

  return {
    list: async () => ctx.repo.listStores().map((r) => toSummary(ctx, r)),
    byIds: async ({ storeIds }) => ctx.repo.getStoresByIds(storeIds).map((r) => toSummary(ctx, r)),
    get: async ({ storeId }) => storeDetail(ctx, storeId),
    remove: async ({ storeId }) => {
      if (!ctx.repo.removeStore(storeId)) throw new AppError('not_found', 'This store no longer exists.');
      ctx.dispatcher.forget(storeId);
      ctx.bus.emit('changed', { topics: ['stores', 'deliveries', 'outbox', 'batches'], storeId, storeIds: [storeId] });
      return { ok: true as const };
    },

    create: async (input) => {
      const domain = { domain: requireFreeShopDomain(ctx.repo, input.shopDomain) };
      let testPhone: string | null = null;
      if (input.testPhone !== undefined && input.testPhone.trim() !== '') {
        const phone = normalizePhone(input.testPhone);
        if (!phone.ok) throw new AppError('invalid_input', phone.message, 'testPhone');
        testPhone = phone.e164;
      }
      const typed = checkNewStoreKeyword(input.keyword, input.keywordLater === true);
      if (!typed.ok) throw new AppError('invalid_input', typed.message, 'keyword');
      const typedKeyword = typed.keyword;
      const apiKey = resolveKey(ctx, input.credential, input.account, input.name);
      const fingerprint = keyFingerprint(apiKey);
      assertKeyNotReused(ctx, apiKey, fingerprint);

      // Validate against Postscript before anything is written: a refused key leaves nothing behind.
      const baseUrl = baseUrlFor(ctx, input.account);
      const client = newClient(ctx, input.account, apiKey, fingerprint);
      const reached = await identifyOrOffline(client, baseUrl);
      if ('offline' in reached) {
        // Postscript is out of reach: keep everything the agent entered, checked later by itself.
        const id = saveUnchecked(ctx, { input, domain: domain.domain, testPhone, keyword: typedKeyword, apiKey, fingerprint });
        ctx.dispatcher.markOffline(baseUrl, reached.offline);
        ctx.bus.emit('changed', { topics: ['stores', 'outbox'], storeId: id });
        return storeDetail(ctx, id);
      }
      const identity = reached;
      const keywords = typedKeyword !== null ? await readKeywords(client, baseUrl) : null;
      const keyword = typedKeyword !== null && keywords !== null ? checkKeyword(keywords, typedKeyword, identity.resource_name) : null;

      const id = crypto.randomUUID();
      ctx.repo.insertStore({
        id,
        name: input.name,
        shopDomain: domain.domain,
        account: input.account,
        postscriptShopId: identity.resource_id,
        postscriptShopName: identity.resource_name,
        testPhone,
        keyword,
        credential: {
          kind: 'shop',
          scheme: ctx.secrets.scheme,
          ciphertext: ctx.secrets.encrypt(apiKey),
          mask: maskSecret(apiKey),
          fingerprint,
          validatedAt: new Date().toISOString(),
        },
        triggers: configTriggers(input.triggers),
      });
      ctx.said.record(id, 'setup', {
        key: { accepted: true, keyMask: maskSecret(apiKey), shopName: identity.resource_name, message: null },
        ...(keywords === null ? {} : { keywords: { keywords } }),
      }, { announce: false });
      // The phone, if given, is looked up now too; a subscriber who is missing does not block the store.
      if (testPhone !== null) {
        try {
          const check = await checkTestUser(client, testPhone, keyword);
          recordTestUser(ctx, id, 'setup', check, { announce: false });
        } catch {
          // Postscript hiccup: the wizard's Test Event User step checks again.
        }
      }
      ctx.bus.emit('changed', { topics: ['stores'], storeId: id, storeIds: [id] });
      return storeDetail(ctx, id);
    },

    setTestUser: async ({ storeId, phone }) => {
      const store = requireStore(ctx, storeId);
      const parsed = normalizePhone(phone);
      if (!parsed.ok) throw new AppError('invalid_input', parsed.message, 'phone');
      let check;
      if (store.keyStatus === 'unchecked') {
        check = uncheckedTestUser(parsed.e164);
      } else {
        try {
          check = await checkTestUser(clientForStore(ctx, storeId), parsed.e164, store.keyword);
        } catch (err) {
          if (err instanceof AppError) throw err;
          if (!(err instanceof PostscriptError && err.kind === 'network')) throw postscriptFailure(err, 'Looking up the Test Event User', baseUrlFor(ctx, store.account), 'phone');
          // Out of reach: the phone is kept and looked up by itself later.
          ctx.dispatcher.markOffline(baseUrlFor(ctx, store.account), err.message);
          check = uncheckedTestUser(parsed.e164, err.message);
        }
      }
      if (check.status === 'not_found' && store.account === 'sandbox') check = { ...check, message: sandboxNotFound(check.e164) };
      if (check.status === 'unchecked') ctx.repo.setTestUser(storeId, check.e164, check.subscriberId, check.status);
      else recordTestUser(ctx, storeId, 'setup', check);
      changed(storeId);
      return check;
    },

    setKeyword: async ({ storeId, keyword }) => {
      const store = requireStore(ctx, storeId);
      const typed = checkKeywordText(keyword);
      if (!typed.ok) throw new AppError('invalid_input', typed.message, 'keyword');
      const baseUrl = baseUrlFor(ctx, store.account);
      const keywords = await readKeywords(clientForStore(ctx, storeId), baseUrl);
      ctx.said.record(storeId, 'setup', { keywords: { keywords } });
      const matched = checkKeyword(keywords, keyword, store.postscriptShopName ?? store.name);
      ctx.repo.setKeyword(storeId, matched);
      changed(storeId);
      return storeDetail(ctx, storeId);
    },

    keywords: async ({ storeId }) => {
      const store = requireStore(ctx, storeId);
      const keywords = await readKeywords(clientForStore(ctx, storeId), baseUrlFor(ctx, store.account));
      ctx.said.record(storeId, 'setup', { keywords: { keywords } });
      return keywords;
    },

    setStep: async ({ storeId, step }) => {
      requireStore(ctx, storeId);
      ctx.repo.setSetupStep(storeId, step);
      changed(storeId);
      return { ok: true as const };
    },

    rotateKey: async ({ storeId, credential }) => {
      const store = requireStore(ctx, storeId);
      const apiKey = rotationKey(ctx, store, credential);
      const fingerprint = keyFingerprint(apiKey);
      assertKeyNotReused(ctx, apiKey, fingerprint, storeId);
      const baseUrl = baseUrlFor(ctx, store.account);
      const client = newClient(ctx, store.account, apiKey, fingerprint);
      const identity = await identify(client, baseUrl);
      if (store.postscriptShopId !== null && identity.resource_id !== store.postscriptShopId) {
        throw new AppError(
          'conflict',
          // Two shops may share a name: the ids are what differ, so they are named too.
          `This key belongs to the Postscript shop “${identity.resource_name}” (id ${identity.resource_id}), not this store’s shop “${store.postscriptShopName ?? store.name}” (id ${store.postscriptShopId}). Use a key made in this store’s Postscript account.`,
          'apiKey',
        );
      }
      ctx.repo.replaceCredential(storeId, {
        kind: 'shop',
        scheme: ctx.secrets.scheme,
        ciphertext: ctx.secrets.encrypt(apiKey),
        mask: maskSecret(apiKey),
        fingerprint,
        validatedAt: new Date().toISOString(),
      });
      ctx.said.record(storeId, 'key_rotation', { key: { accepted: true, keyMask: maskSecret(apiKey), shopName: identity.resource_name, message: null } });
      ctx.dispatcher.forget(storeId);
      changed(storeId);
      return storeDetail(ctx, storeId);
    },

    checkHealth: async ({ storeId }) => {
      const store = requireStore(ctx, storeId);
      const baseUrl = baseUrlFor(ctx, store.account);
      const client = clientForStore(ctx, storeId);
      try {
        const me = await client.me();
        ctx.said.record(storeId, 'check_health', {
          key: { accepted: true, keyMask: store.keyMask, shopName: me.resource_name, message: null },
          ...(store.postscriptShopId === null ? { shopId: me.resource_id } : {}),
        });
        // A key saved offline was waiting for this: its queued tests may go now.
        ctx.dispatcher.forget(storeId);
        ctx.dispatcher.pump();
      } catch (err) {
        if (err instanceof PostscriptError && (err.status === 401 || err.status === 403)) {
          ctx.said.record(storeId, 'check_health', { key: { accepted: false, keyMask: store.keyMask, shopName: store.postscriptShopName, message: err.message } });
          ctx.dispatcher.forget(storeId);
          ctx.dispatcher.pump();
          changed(storeId);
          return storeDetail(ctx, storeId);
        }
        throw postscriptFailure(err, 'Checking the store', baseUrl);
      }
      if (store.testPhone !== null) {
        try {
          recordTestUser(ctx, storeId, 'check_health', await checkTestUser(client, store.testPhone, store.keyword));
        } catch (err) {
          throw postscriptFailure(err, 'Checking the Test Event User', baseUrl);
        }
      }
      changed(storeId);
      return storeDetail(ctx, storeId);
    },

    archive: async ({ storeId, archived }) => {
      requireStore(ctx, storeId);
      ctx.repo.setArchived(storeId, archived);
      changed(storeId);
      return { ok: true as const };
    },

    exportConfig: async ({ storeId }) => {
      const detail = storeDetail(ctx, storeId);
      const file: StoreConfigFile = {
        format: STORE_CONFIG_FORMAT,
        version: 1,
        exportedAt: new Date().toISOString(),
        store: { name: detail.name, shopDomain: detail.shopDomain, account: detail.account, keyword: detail.keyword, testPhone: detail.testPhone },
        triggers: detail.triggers.map((t) => ({
          eventKey: t.eventKey,
          postscriptType: findSkioEvent(t.eventKey)?.postscriptType ?? t.eventKey,
          enabled: t.enabled,
          ...(t.settings.daysBefore === undefined ? {} : { daysBefore: t.settings.daysBefore }),
          skioSmsAlso: t.skioSmsAlso,
        })),
      };
      return { filename: `${detail.shopDomain.replace('.myshopify.com', '')}-postscript-setup.json`, json: `${JSON.stringify(file, null, 2)}\n` };
    },
  };
}

export function registerStoreHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('stores', storeHandlers(ctx));
}
