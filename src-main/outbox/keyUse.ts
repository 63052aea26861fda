/**
 * Can this console send with a store's key? Known before any send, so a send that cannot work is
 * refused up front with the reason, instead of going out (or being logged for the team as failed)
 * and coming back as "Invalid API key":
 * - a key a teammate shared is encrypted under the team key: without the team passphrase on this
 *   console it is locked;
 * - a Sandbox store whose key a teammate's console made lives in that console's own Sandbox: this
 *   console's Sandbox does not know the key (the demo shop's key works everywhere).
 */
import type { Account } from '../../src-shared/ipc/contract';
import type { Repository } from '../db/store';
import type { SecretBox } from '../secrets/secretBox';
import { isTeamScheme } from '../team/teamKey';

/** `reason` says why, as the store's page shows it; a refused send is "Not sent. <reason>". */
export type KeyUse = { status: 'locked' | 'elsewhere' | 'missing'; reason: string } | null;

export interface KeyUseDeps {
  repo: Pick<Repository, 'getCredential'>;
  secrets: Pick<SecretBox, 'decrypt'>;
  /** Whether the team passphrase has been entered on this console. */
  teamUnlocked(): boolean;
  /** Whether this console's Sandbox has a shop with this private key. */
  sandboxKnows(key: string): boolean;
  /** The name of the teammate who set the store's key, when known. */
  keyAuthor(storeId: string): string | null;
}

export const lockedKeyReason = (storeName: string): string =>
  `The API key of ${storeName} was shared by a teammate and is locked on this console until the team passphrase is entered (Settings → Team).`;

export const missingKeyReason = (storeName: string): string =>
  `The API key of ${storeName} has not reached this console: the teammate who added the store has not shared it yet (their console sends keys to the team once the team passphrase is entered there).`;

export const otherSandboxReason = (storeName: string, author: string | null): string => {
  const whose = author === null ? 'a teammate’s console' : `${author}’s console`;
  return (
    `${storeName} is a Sandbox store whose shop was made in the Sandbox of ${whose}, which this console cannot reach, so Postscript’s answer here would be “Invalid API key”. ` +
    `Send its tests from ${author === null ? 'that console' : `${author}’s console`}, or for team sending use Live stores against one shared Sandbox (README, Team mode).`
  );
};

export class KeyUseChecker {
  constructor(private readonly deps: KeyUseDeps) {}

  /** Null when nothing known stops this console from sending with the store's key. */
  check(store: { id: string; name: string; account: Account }): KeyUse {
    const cred = this.deps.repo.getCredential(store.id);
    // Every store made here has its key: only a teammate's store can be here without one.
    if (cred === undefined) return { status: 'missing', reason: missingKeyReason(store.name) };
    // Keys made or pasted on this console are in its own box: only a teammate's can be either.
    if (!isTeamScheme(cred.scheme)) return null;
    if (!this.deps.teamUnlocked()) return { status: 'locked', reason: lockedKeyReason(store.name) };
    // Unlocked, but under a team key this console does not hold (rotated since): locked all the same.
    const key = this.deps.secrets.decrypt(cred.scheme, cred.ciphertext);
    if (key === null) return { status: 'locked', reason: lockedKeyReason(store.name) };
    if (store.account !== 'sandbox' || this.deps.sandboxKnows(key)) return null;
    return { status: 'elsewhere', reason: otherSandboxReason(store.name, this.deps.keyAuthor(store.id)) };
  }
}
