/**
 * One shop domain, one store: the refusal `stores.create` gives, also given at the wizard's first
 * step (`wizard.checkStore`), so the agent learns it before typing a keyword and a key.
 */
import { AppError } from '../../src-shared/errors';
import { normalizeShopDomain } from '../../src-shared/validation/domain';
import type { Repository } from '../db/store';

/** The domain as it is saved, or the reason it cannot be (malformed, or already a store here). */
export function requireFreeShopDomain(repo: Pick<Repository, 'findStoreByDomain'>, shopDomain: string): string {
  const domain = normalizeShopDomain(shopDomain);
  if (!domain.ok) throw new AppError('invalid_input', domain.message, 'shopDomain');
  const existing = repo.findStoreByDomain(domain.domain);
  if (existing !== undefined) {
    throw new AppError('conflict', `${domain.domain} is already set up here as “${existing.name}”. Open it from the stores list.`, 'shopDomain');
  }
  return domain.domain;
}
