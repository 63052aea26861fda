/**
 * What team mode asks the agent before an action that cannot be taken back: taking over a
 * teammate's failed sends, leaving the team. Shared so the wording is tested where it is shown.
 */

export interface RerunControl {
  label: string;
  /** The button's tooltip. */
  title: string;
  /** Asked before re-running; null when the batch is this console's own. */
  confirm: string | null;
}

export function rerunControl(failed: number, owner: string | null): RerunControl {
  const events = `${failed} failed ${failed === 1 ? 'event' : 'events'}`;
  if (owner === null) return { label: `Re-run ${failed} failed`, title: `Queue the ${events} again as a new batch.`, confirm: null };
  return {
    label: `Re-send ${failed} failed from my console`,
    title: `Only ${owner}’s console sends this batch. This takes its ${events} over as new sends of yours.`,
    confirm:
      `Re-send the ${events} of ${owner}’s batch from your console? This makes ${failed} new ${failed === 1 ? 'send' : 'sends'} to Postscript ` +
      `(each may text the Test Event User). ${owner}’s console will not send them again unless ${owner} re-runs them too.`,
  };
}

/** Leaving stops recording and drops what waits to go up: the agent is told first, with the count. */
export function leaveConfirm(pending: number): string {
  const waiting = pending === 0 ? 'Nothing is waiting to go up.' : `${pending} ${pending === 1 ? 'change' : 'changes'} not yet sent to the team will not be sent.`;
  return `Leave the team? This console stops sharing its changes. ${waiting} Rejoining the same team later catches up, then sends this console’s current state again.`;
}
