/** Channels of the `wizard` area: the new-store wizard's draft, kept between launches. */
import { z } from 'zod';
import { channel, Empty, Ok } from './channel';
import { Account } from './common';
import { ImportedTriggers } from './stores';

/** What the new-store wizard remembers between launches (never the key). */
export const WizardDraft = z.object({
  step: z.enum(['store', 'key']),
  name: z.string().max(120),
  shopDomain: z.string().max(300),
  account: Account,
  keyword: z.string().max(60),
  /** "Set the keyword later" was chosen on step 2. */
  keywordLater: z.boolean().optional(),
  testPhone: z.string().max(40),
  triggers: ImportedTriggers.optional(),
  /** Name of the hand-over file this draft came from, if any. */
  importedFrom: z.string().max(300).optional(),
});
export type WizardDraft = z.infer<typeof WizardDraft>;

export const wizardChannels = {
  getDraft: channel(Empty, WizardDraft.nullable()),
  saveDraft: channel(WizardDraft, Ok),
  clearDraft: channel(Empty, Ok),
  /** The first step's domain, checked before going on: refused when malformed or already a store here. */
  checkStore: channel(z.object({ shopDomain: z.string().max(300) }), Ok),
  /** Starts a new-store draft from a hand-over file. */
  importConfig: channel(z.object({ json: z.string().max(1_000_000, 'This file is too large: a hand-over file is at most 1,000,000 characters.'), fileName: z.string().max(300) }), WizardDraft),
} as const;
