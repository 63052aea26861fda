/** Channels of the `team` area: team database settings, status, and who did what. */
import { z } from 'zod';
import { channel as ch, Empty, id } from './channel';

export const TlsMode = z.enum(['disable', 'require', 'verify-full']);

export const TeamStatus = z.object({
  configured: z.boolean(),
  state: z.enum(['off', 'connecting', 'connected', 'offline']),
  offlineSince: z.string().nullable(),
  /** What went wrong and what to do, when something did. */
  message: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  /** Changes made here that have not reached the team database yet. */
  pending: z.number().int(),
  /** Of those, keys and tokens that wait for the team passphrase. */
  waitingForPassphrase: z.number().int(),
  /** Teammates' changes that failed validation here (kept, not applied). */
  rejected: z.number().int(),
  lastRejected: z.string().nullable(),
  unlocked: z.boolean(),
  agentId: z.string(),
  agentName: z.string().nullable(),
  /** The connection URL without its password. */
  url: z.string().nullable(),
  tlsMode: TlsMode,
  caFile: z.string().nullable(),
  /** Set when the database at this address holds another team: what starting over there means. */
  otherTeam: z.string().nullable(),
  /** This console signs in as the team's owner (it may add and remove agents, rotate the key). */
  owner: z.boolean(),
});
export type TeamStatus = z.infer<typeof TeamStatus>;

export const StoreActivity = z.object({
  storeId: z.string(),
  createdBy: z.string().nullable(),
  createdByMe: z.boolean(),
  lastBy: z.string().nullable(),
  lastAt: z.string().nullable(),
});
export type StoreActivity = z.infer<typeof StoreActivity>;

export const TeamAgent = z.object({ id: z.string(), name: z.string(), me: z.boolean() });
export type TeamAgent = z.infer<typeof TeamAgent>;

export const OwnerAgent = z.object({ role: z.string(), displayName: z.string(), addedAt: z.string(), removedAt: z.string().nullable() });
export type OwnerAgent = z.infer<typeof OwnerAgent>;

export const KeyRotation = z.object({
  version: z.number().int(),
  reencrypted: z.number().int(),
  unreadable: z.number().int(),
  /** Merchants' Postscript keys a removed agent could have read: rotate them at Postscript. */
  keysToRotate: z.array(z.object({ storeId: z.string(), storeName: z.string(), mask: z.string().nullable() })),
});
export type KeyRotation = z.infer<typeof KeyRotation>;

export const teamChannels = {
  status: ch(Empty, TeamStatus),
  configure: ch(
    z.object({
      url: z.string().trim().min(1, 'Paste the team database URL.').max(2000),
      tlsMode: TlsMode,
      caFile: z.string().max(4000).nullable(),
      agentName: z.string().trim().min(1, 'Enter your name as teammates will see it.').max(80),
    }),
    TeamStatus,
  ),
  setPassphrase: ch(z.object({ passphrase: z.string().min(1).max(1000) }), TeamStatus),
  leave: ch(Empty, TeamStatus),
  reconnect: ch(Empty, TeamStatus),
  /** Starts over with the team the database holds, after status.otherTeam said what that means. */
  confirmOtherTeam: ch(Empty, TeamStatus),
  agents: ch(Empty, z.array(TeamAgent)),
  /** The owner's list of the team's logins (refused on an agent's console). */
  ownerAgents: ch(Empty, z.array(OwnerAgent)),
  /** Gives a new agent a login of their own; the URL (with its password) is shown once, to hand over. */
  addAgent: ch(z.object({ name: z.string().trim().min(1, 'Enter the agent’s name.').max(80) }), z.object({ role: z.string(), url: z.string() })),
  /** Ends an agent's login and open sessions. */
  removeAgent: ch(z.object({ role: z.string().min(1).max(63) }), z.object({ sessionsEnded: z.number().int() })),
  /** A new team key under a new passphrase, every shared secret re-encrypted under it. */
  rotateKey: ch(z.object({ newPassphrase: z.string().min(1).max(1000) }), KeyRotation),
  /** Who set each store up and who touched it last. */
  storeActivity: ch(Empty, z.array(StoreActivity)),
  /** Who changed what and when, newest first, for one store. */
  storeHistory: ch(
    z.object({ storeId: id }),
    z.array(
      z.object({
        field: z.string(),
        agent: z.string(),
        at: z.string(),
        /** The value this agent set was replaced by a teammate's concurrent, later edit (kept here so it is not lost). */
        replaced: z.object({ value: z.string(), by: z.string(), byValue: z.string(), at: z.string() }).optional(),
      }),
    ),
  ),
  /** Teammates' queued and in-flight sends (their console sends them, never this one). */
  teammatesOutbox: ch(
    Empty,
    z.array(z.object({ externalId: z.string(), agent: z.string(), storeId: z.string(), eventKey: z.string(), state: z.string(), createdAt: z.string() })),
  ),
};
