/**
 * What "Re-run failed" says and asks. A teammate's batch is only ever sent by their console, so
 * re-running its failures here means deliberately taking them over as new sends of this console:
 * the button says so, and the confirmation names how many sends it makes.
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
