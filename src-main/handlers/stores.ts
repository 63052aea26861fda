import crypto from 'node:crypto';
import { AppError } from '../../src-shared/errors';
import { SKIO_EVENTS } from '../../src-shared/events/catalog';
import type { StoreDetail, StoreSummary } from '../../src-shared/ipc/contract';
import { maskSecret } from '../../src-shared/mask';
import { checkApiKeyFormat } from '../../src-shared/validation/apiKey';
import { normalizeShopDomain } from '../../src-shared/validation/domain';
import { normalizePhone } from '../../src-shared/validation/phone';
import type { MainContext } from '../app/context';
import type { StoreRow } from '../db/store';
import { baseUrlFor, keyFingerprint, pacerFor, postscriptFailure } from '../postscript/accounts';
import { PostscriptClient } from '../postscript/client';
import type { AreaHandlers, Router } from '../ipc/router';

export function toSummary(row: StoreRow): StoreSummary {
  return {
    id: row.id,
    name: row.name,
    shopDomain: row.shopDomain,
    account: row.account,
    postscriptShopName: row.postscriptShopName,
    keyMask: row.keyMask,
    testPhone: row.testPhone,
    enabledEvents: row.enabledEvents,
    createdAt: row.createdAt,
  };
}

export function storeDetail(ctx: MainContext, storeId: string): StoreDetail {
  const row = ctx.repo.getStore(storeId);
  if (row === undefined) throw new AppError('not_found', 'This store no longer exists.');
  const triggers = new Map(ctx.repo.listTriggers(storeId).map((t) => [t.eventKey, t]));
  return {
    ...toSummary(row),
    postscriptShopId: row.postscriptShopId,
    keyValidatedAt: row.keyValidatedAt,
    // Always the whole catalog, in catalog order, so a newly added event shows up for old stores.
    triggers: SKIO_EVENTS.map(
      (e) =>
        triggers.get(e.key) ?? {
          eventKey: e.key,
          pending: 0,
          enabled: false,
          settings: e.settings ?? {},
          lastSuccessAt: null,
          lastOutcome: null,
          lastError: null,
        },
    ),
  };
}

export function storeHandlers(ctx: MainContext): AreaHandlers<'stores'> {
  return {
    list: async () => ctx.repo.listStores().map(toSummary),
    get: async ({ storeId }) => storeDetail(ctx, storeId),
    remove: async ({ storeId }) => {
      if (!ctx.repo.removeStore(storeId)) throw new AppError('not_found', 'This store no longer exists.');
      ctx.dispatcher.forget(storeId);
      ctx.bus.emit('changed', { topics: ['stores', 'deliveries'], storeId });
      return { ok: true as const };
    },
    create: async (input) => {
      const domain = normalizeShopDomain(input.shopDomain);
      if (!domain.ok) throw new AppError('invalid_input', domain.message, 'shopDomain');
      const existing = ctx.repo.findStoreByDomain(domain.domain);
      if (existing !== undefined) {
        throw new AppError('conflict', `${domain.domain} is already set up here as “${existing.name}”. Open it from the stores list.`, 'shopDomain');
      }
      let testPhone: string | null = null;
      if (input.testPhone !== undefined && input.testPhone.trim() !== '') {
        const phone = normalizePhone(input.testPhone);
        if (!phone.ok) throw new AppError('invalid_input', phone.message, 'testPhone');
        testPhone = phone.e164;
      }

      // The key: pasted (and checked before any network call), or freshly made in the Sandbox.
      let apiKey: string;
      if (input.credential.kind === 'paste') {
        const check = checkApiKeyFormat(input.credential.apiKey);
        if (!check.ok) throw new AppError(check.reason === 'public_key' ? 'public_key' : 'invalid_key', check.message, 'apiKey');
        if (check.kind === 'partner') {
          throw new AppError('invalid_key', 'This is a partner key (sk_partner_). Paste the store’s own private key that you created for Skio.', 'apiKey');
        }
        apiKey = check.key;
      } else {
        if (input.account !== 'sandbox') {
          throw new AppError('invalid_input', 'Only Sandbox stores can get a generated key. For live Postscript, paste a new private key made for Skio.', 'apiKey');
        }
        apiKey = ctx.sandbox.state.createShop(input.name).privateKey;
      }
      const fingerprint = keyFingerprint(apiKey);
      const reused = ctx.repo.findStoreByKeyFingerprint(fingerprint);
      if (reused !== undefined) {
        throw new AppError(
          'conflict',
          `This key is already used by “${reused.name}”. Create a new API key specific to Skio for this store (Postscript → Settings → API).`,
          'apiKey',
        );
      }

      // Validate against Postscript before anything is written: a refused key leaves nothing behind.
      const baseUrl = baseUrlFor(ctx, input.account);
      const client = new PostscriptClient({ baseUrl, auth: { kind: 'shop', apiKey }, timeoutMs: 10_000, pacer: pacerFor(ctx, fingerprint) });
      let identity;
      try {
        identity = await client.me();
      } catch (err) {
        throw postscriptFailure(err, 'Checking the API key', baseUrl, 'apiKey');
      }

      const id = crypto.randomUUID();
      ctx.repo.insertStore({
        id,
        name: input.name,
        shopDomain: domain.domain,
        account: input.account,
        postscriptShopId: identity.resource_id,
        postscriptShopName: identity.resource_name,
        testPhone,
        credential: {
          kind: 'shop',
          scheme: ctx.secrets.scheme,
          ciphertext: ctx.secrets.encrypt(apiKey),
          mask: maskSecret(apiKey),
          fingerprint,
          validatedAt: new Date().toISOString(),
        },
        triggers: SKIO_EVENTS.map((e) => ({ eventKey: e.key, enabled: false, settings: e.settings ?? {} })),
      });
      ctx.bus.emit('changed', { topics: ['stores'], storeId: id });
      return storeDetail(ctx, id);
    },
  };
}

export function registerStoreHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('stores', storeHandlers(ctx));
}
