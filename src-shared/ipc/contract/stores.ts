/** Channels of the `stores` area: a merchant's store, its key, keyword and Test Event User. */
import { z } from 'zod';
import { StoreConfigFile } from '../../storeConfig';
import { channel, Empty, id, Ok } from './channel';
import { Account } from './common';
import { TriggerState } from './triggers';

export const SetupStep = z.enum(['user', 'events', 'test', 'done']);
export type SetupStep = z.infer<typeof SetupStep>;
/** `unchecked`: saved while Postscript was out of reach; looked up by itself when it is back. */
export const TestUserStatus = z.enum(['ok', 'not_found', 'no_transactional', 'unchecked']);
export type TestUserStatus = z.infer<typeof TestUserStatus>;

export const StoreSummary = z.object({
  id: z.string(),
  name: z.string(),
  shopDomain: z.string(),
  account: Account,
  postscriptShopName: z.string().nullable(),
  keyMask: z.string().nullable(),
  /**
   * `unchecked`: saved while Postscript was out of reach; checked by itself when it is back.
   * `locked`: a teammate shared the key and this console has not had the team passphrase, so it
   * cannot read it (whatever Postscript said of it elsewhere).
   */
  keyStatus: z.enum(['valid', 'invalid', 'unchecked', 'locked']).nullable(),
  /** Why this console cannot send this store's tests (key locked, Sandbox shop on a teammate's console); null when it can. */
  cannotSend: z.string().nullable().optional(),
  keyword: z.string().nullable(),
  testPhone: z.string().nullable(),
  testUserStatus: TestUserStatus.nullable(),
  enabledEvents: z.number().int(),
  /** Enabled events with at least one delivered test. */
  testedEvents: z.number().int(),
  setupStep: SetupStep,
  /**
   * The setup's steps are done: key valid, keyword, Test Event User able to receive, at least one
   * event on, every enabled event tested (`src-shared/rules/setupState.ts`). "Complete" for the
   * agent also needs `goLive` without failing or unchecked checks.
   */
  setupComplete: z.boolean(),
  /** The go-live checks that are not passes, once the steps are done (null before). */
  goLive: z.object({ fail: z.number().int(), unchecked: z.number().int(), warn: z.number().int(), eventsPassed: z.number().int().optional() }).nullable(),
  archived: z.boolean(),
  createdAt: z.string(),
});
export type StoreSummary = z.infer<typeof StoreSummary>;

export const StoreDetail = StoreSummary.extend({
  postscriptShopId: z.string().nullable(),
  keyValidatedAt: z.string().nullable(),
  keyCheckedAt: z.string().nullable(),
  testSubscriberId: z.string().nullable(),
  testUserCheckedAt: z.string().nullable(),
  triggers: z.array(TriggerState),
});
export type StoreDetail = z.infer<typeof StoreDetail>;

export const CredentialInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paste'), apiKey: z.string().max(500) }),
  /** Sandbox only: main creates a fresh private key in the Sandbox; the renderer never sees it. */
  z.object({ kind: z.literal('sandbox_new_key') }),
]);

/** Trigger settings as a hand-over file carries them. */
export const ImportedTriggers = StoreConfigFile.shape.triggers;

export const CreateStoreInput = z.object({
  name: z.string().trim().min(1, 'Give the store a name.').max(120),
  shopDomain: z.string().max(300),
  account: Account,
  credential: CredentialInput,
  /** The store's keyword trigger; checked against the shop's Postscript keywords. */
  keyword: z.string().max(60).optional(),
  /**
   * The agent chose "Set the keyword later": a blank keyword is refused without it, so a store
   * never skips its keyword by accident. Its status and readiness then say the keyword is not set.
   */
  keywordLater: z.boolean().optional(),
  testPhone: z.string().max(40).optional(),
  /** Trigger settings carried over from a hand-over file. */
  triggers: ImportedTriggers.optional(),
});
export type CreateStoreInput = z.input<typeof CreateStoreInput>;

export const TestUserCheck = z.object({
  status: TestUserStatus,
  e164: z.string(),
  subscriberId: z.string().nullable(),
  /** What it means and what to do next. */
  message: z.string(),
});
export type TestUserCheck = z.infer<typeof TestUserCheck>;

export const storesChannels = {
  /** Every store, archived ones included (they say so). */
  list: channel(Empty, z.array(StoreSummary)),
  /** Just these stores (those that no longer exist are left out): the list redraws only changed rows. */
  byIds: channel(z.object({ storeIds: z.array(id).max(1000) }), z.array(StoreSummary)),
  get: channel(z.object({ storeId: id }), StoreDetail),
  create: channel(CreateStoreInput, StoreDetail),
  remove: channel(z.object({ storeId: id }), Ok),
  /** Parses, looks up and saves the Test Event User; says whether Postscript can text them. */
  setTestUser: channel(z.object({ storeId: id, phone: z.string().max(40) }), TestUserCheck),
  /** Checked against the shop's Postscript keywords; a near miss is answered with suggestions. */
  setKeyword: channel(z.object({ storeId: id, keyword: z.string().max(60) }), StoreDetail),
  /** The shop's keywords in Postscript, offered while the agent types the store's keyword. */
  keywords: channel(z.object({ storeId: id }), z.array(z.string())),
  setStep: channel(z.object({ storeId: id, step: SetupStep }), Ok),
  /** Replaces the key after validating it belongs to the same Postscript shop; history stays. */
  rotateKey: channel(z.object({ storeId: id, credential: CredentialInput }), StoreDetail),
  /** Re-checks the key and the Test Event User with Postscript. */
  checkHealth: channel(z.object({ storeId: id }), StoreDetail),
  archive: channel(z.object({ storeId: id, archived: z.boolean() }), Ok),
  /** The hand-over file (no secrets). */
  exportConfig: channel(z.object({ storeId: id }), z.object({ filename: z.string(), json: z.string() })),
} as const;
