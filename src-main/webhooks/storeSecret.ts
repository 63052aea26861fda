/**
 * A random secret per store, registered with Postscript as a custom header (`headers` in
 * POST /api/v2/webhooks) so that Postscript sends it on every callback. Postscript-Signature is a
 * static token that other integrations treat as public; this header is known only to this app and
 * Postscript, so a delivery to a store whose webhooks carry it must carry it too (compared in
 * constant time). Stored encrypted like every other secret; never logged, never shown.
 */
import crypto from 'node:crypto';
import type { WebhookRepository } from '../db/webhooks';
import type { SecretBox } from '../secrets/secretBox';

/** What reading the secret needs (the listener's deps have it). */
export interface SecretReader {
  webhooks: Pick<WebhookRepository, 'getSecret'>;
  secrets: Pick<SecretBox, 'decrypt'>;
}
/** What making, reading and forgetting it needs (the handlers' context has it). */
export interface SecretKeeper {
  webhooks: Pick<WebhookRepository, 'getSecret' | 'saveSecret' | 'deleteSecret' | 'registrations'>;
  secrets: Pick<SecretBox, 'decrypt' | 'encrypt' | 'scheme'>;
}

export const SECRET_HEADER = 'x-console-webhook-secret';

/** Decrypted secrets, kept while the stored one is unchanged (the listener's hot path). */
const cache = new WeakMap<object, Map<string, { createdAt: string; secret: string | null }>>();

/** The store's secret, created on first use: for a registration. */
export function ensureSecret(ctx: SecretKeeper, storeId: string): string {
  const saved = ctx.webhooks.getSecret(storeId);
  if (saved !== undefined) {
    const plain = ctx.secrets.decrypt(saved.scheme, saved.ciphertext);
    if (plain !== null) return plain;
    ctx.webhooks.deleteSecret(storeId); // saved by the other shell's keychain: replace it
  }
  const secret = crypto.randomBytes(32).toString('base64url');
  ctx.webhooks.saveSecret(storeId, ctx.secrets.scheme, ctx.secrets.encrypt(secret));
  return secret;
}

/** The custom headers a new webhook registration of this store carries. */
export function registrationHeaders(ctx: SecretKeeper, storeId: string): Record<string, string> {
  return { [SECRET_HEADER]: ensureSecret(ctx, storeId) };
}

/** The secret a delivery to this store must carry: null when none was registered; undefined when it cannot be read here. */
export function requiredSecret(ctx: SecretReader, storeId: string): string | null | undefined {
  const saved = ctx.webhooks.getSecret(storeId);
  if (saved === undefined) return null;
  let perCtx = cache.get(ctx);
  if (perCtx === undefined) {
    perCtx = new Map();
    cache.set(ctx, perCtx);
  }
  const hit = perCtx.get(storeId);
  if (hit !== undefined && hit.createdAt === saved.createdAt) return hit.secret ?? undefined;
  const secret = ctx.secrets.decrypt(saved.scheme, saved.ciphertext);
  perCtx.set(storeId, { createdAt: saved.createdAt, secret });
  return secret ?? undefined;
}

/** When the store has no registrations left, its secret goes too (the next registration gets a new one). */
export function forgetSecretIfUnused(ctx: SecretKeeper, storeId: string): void {
  if (ctx.webhooks.registrations(storeId).length === 0) ctx.webhooks.deleteSecret(storeId);
}
