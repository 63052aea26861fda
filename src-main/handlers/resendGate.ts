/**
 * Every re-send of a failed or uncertain send passes here first: in a team, each original send is
 * claimed in the team database (team/resendClaims.ts), so it is re-sent once for the whole team,
 * from whichever console; alone, everything may go.
 */
import type { MainContext } from './context';
import { allRefused, someRefused } from '../team/resendClaims';

export interface ResendGate {
  /** External ids of the original sends that may be re-sent now. */
  allowed: Set<string>;
  /** What the agent reads about those left out (already re-sent by someone), or null. */
  note: string | null;
}

/** Throws when none may go (already re-sent, or the team database out of reach), in words. */
export async function claimBeforeResend(ctx: Pick<MainContext, 'team'>, originalSends: readonly string[]): Promise<ResendGate> {
  const outcome = await ctx.team.claimResends(originalSends);
  if (outcome === null) return { allowed: new Set(originalSends), note: null };
  if (outcome.claimed.size === 0 && outcome.refused.length > 0) throw allRefused(outcome.refused);
  return { allowed: outcome.claimed, note: outcome.refused.length === 0 ? null : someRefused(outcome.refused, outcome.claimed.size) };
}
