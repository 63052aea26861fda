/**
 * Saving a store while Postscript is out of reach: everything the agent entered is kept (the key
 * encrypted as always) and marked "not yet checked"; postscript/deferredChecks.ts checks the key,
 * the keyword and the Test Event User by itself when Postscript answers again.
 */
import crypto from 'node:crypto';
import { SKIO_EVENTS } from '../../src-shared/events/catalog';
import type { CreateStoreInput } from '../../src-shared/ipc/contract';
import { maskSecret } from '../../src-shared/mask';
import type { MainContext } from './context';

/** The store's triggers: the catalog, with what a hand-over file carried. */
export function configTriggers(imported: CreateStoreInput['triggers']): Array<{ eventKey: string; enabled: boolean; settings: object; skioSmsAlso: boolean }> {
  const byKey = new Map((imported ?? []).map((t) => [t.eventKey, t]));
  return SKIO_EVENTS.map((e) => {
    const t = byKey.get(e.key);
    const settings = e.settings === undefined ? {} : { ...e.settings, ...(t?.daysBefore === undefined ? {} : { daysBefore: t.daysBefore }) };
    return { eventKey: e.key, enabled: t?.enabled ?? false, settings, skioSmsAlso: t?.skioSmsAlso ?? false };
  });
}

export interface UncheckedStore {
  input: CreateStoreInput;
  domain: string;
  testPhone: string | null;
  keyword: string | null;
  apiKey: string;
  fingerprint: string;
}

/** Writes the store, its key (status `unchecked`) and triggers in one transaction; returns its id. */
export function saveUnchecked(ctx: MainContext, s: UncheckedStore): string {
  const id = crypto.randomUUID();
  ctx.repo.insertStore({
    id,
    name: s.input.name,
    shopDomain: s.domain,
    account: s.input.account,
    postscriptShopId: null,
    postscriptShopName: null,
    testPhone: s.testPhone,
    keyword: s.keyword,
    credential: {
      kind: 'shop',
      scheme: ctx.secrets.scheme,
      ciphertext: ctx.secrets.encrypt(s.apiKey),
      mask: maskSecret(s.apiKey),
      fingerprint: s.fingerprint,
      validatedAt: null,
      status: 'unchecked',
    },
    triggers: configTriggers(s.input.triggers),
  });
  if (s.testPhone !== null) ctx.repo.setTestUser(id, s.testPhone, null, 'unchecked');
  return id;
}
