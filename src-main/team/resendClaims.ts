/**
 * A failed send is re-sent once for the whole team. Before a console re-sends a failed or uncertain
 * send (re-run failed, take over a teammate's failures, resend from the log), it claims the
 * original send in the team database: `resend_claims` has one row per original send (its
 * external id), so PostgreSQL refuses a second claim whoever makes it, the owner included. The row
 * says who claimed it (the login, `session_user`, set by PostgreSQL) and when, so a refused claim
 * can name them. A console that cannot reach the team database re-sends none of the team's sends.
 */
import type { ClientBase } from 'pg';
import { AppError } from '../../src-shared/errors';
import { TEAM_SCHEMA } from './pgMigrations';

export interface ClaimRefusal {
  originalSend: string;
  /** Who claimed it first: the name teammates see for that login. */
  claimedBy: string;
  claimedAt: Date;
  /** Claimed by this same login (on this console or another one signed in as the same agent). */
  mine: boolean;
}

export interface ClaimOutcome {
  claimed: Set<string>;
  refused: ClaimRefusal[];
}

/** Claims what no one has claimed yet, in one statement; reads who holds the rest. */
export async function claimResends(client: ClientBase, originalSends: readonly string[]): Promise<ClaimOutcome> {
  const ids = [...new Set(originalSends)];
  if (ids.length === 0) return { claimed: new Set(), refused: [] };
  const won = await client.query<{ original_send: string }>(
    `INSERT INTO ${TEAM_SCHEMA}.resend_claims (original_send) SELECT unnest($1::text[]) ON CONFLICT (original_send) DO NOTHING RETURNING original_send`,
    [ids],
  );
  const claimed = new Set(won.rows.map((r) => r.original_send));
  const lost = ids.filter((id) => !claimed.has(id));
  if (lost.length === 0) return { claimed, refused: [] };
  const held = await client.query<{ original_send: string; claimed_by: string; claimed_at: Date; mine: boolean }>(
    // The name teammates see for the login (the owner's agents table), else the login itself.
    `SELECT c.original_send, COALESCE(a.display_name, c.claimed_by::text) AS claimed_by, c.claimed_at, c.claimed_by = session_user AS mine
     FROM ${TEAM_SCHEMA}.resend_claims c LEFT JOIN ${TEAM_SCHEMA}.agents a ON a.role = c.claimed_by::text WHERE c.original_send = ANY($1::text[])`,
    [lost],
  );
  return { claimed, refused: held.rows.map((r) => ({ originalSend: r.original_send, claimedBy: r.claimed_by, claimedAt: r.claimed_at, mine: r.mine })) };
}

const when = (d: Date): string => d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const failedEvents = (n: number): string => `${n} failed ${n === 1 ? 'event' : 'events'}`;

/** "Ben on Dec 7, 2026, 1:30 AM", "you on …", one part per claimer, the latest time each. */
function claimers(refused: readonly ClaimRefusal[], withCounts: boolean): string {
  const by = new Map<string, { n: number; at: Date; mine: boolean }>();
  for (const r of refused) {
    const seen = by.get(r.claimedBy);
    if (seen === undefined) by.set(r.claimedBy, { n: 1, at: r.claimedAt, mine: r.mine });
    else by.set(r.claimedBy, { n: seen.n + 1, at: r.claimedAt > seen.at ? r.claimedAt : seen.at, mine: seen.mine });
  }
  const parts = [...by.entries()].map(([who, c]) => `${c.mine ? 'you' : who}${withCounts && by.size > 1 ? ` (${c.n})` : ''} on ${when(c.at)}`);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Every one of them was re-sent before: nothing is queued, and the agent reads who did it and when. */
export function allRefused(refused: readonly ClaimRefusal[]): AppError {
  const what = refused.length === 1 ? 'This failed event was' : `These ${failedEvents(refused.length)} were`;
  return new AppError(
    'conflict',
    `Not re-sent: ${what} already re-sent by ${claimers(refused, true)}. A failed send is re-sent once for the whole team, so nothing was queued.`,
  );
}

/** Some were re-sent before: the rest go now, and the agent reads which were left out and why. */
export function someRefused(refused: readonly ClaimRefusal[], sent: number): string {
  return `${refused.length} of the ${failedEvents(refused.length + sent)} ${refused.length === 1 ? 'was' : 'were'} already re-sent by ${claimers(refused, true)}, so ${refused.length === 1 ? 'it is' : 'they are'} left out; the other ${sent} ${sent === 1 ? 'is' : 'are'} re-sent now.`;
}

/** The team database is out of reach: a team's failed sends are not re-sent from here. */
export function claimUnreachable(reason: string): AppError {
  return new AppError(
    'unreachable',
    `Not re-sent: ${reason} A failed send of the team is first claimed in the team database, so that it is re-sent once for the whole team; try again when the team status says connected.`,
  );
}
