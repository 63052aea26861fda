/**
 * What "set up" means, in one place for main and the renderer: the setup's steps are done (key
 * accepted, keyword, Test Event User, events on and each sent), and the store is complete only when,
 * besides, no go-live check fails and none is still unchecked. A store whose steps are done but
 * whose readiness is not says both ("Set up · go-live: 2 checks fail"), so nobody stops at a green
 * "complete" above red checks.
 */

export interface SetupFacts {
  /** `locked`: accepted by Postscript, but this console cannot read it (a teammate's key); the row says so apart. */
  keyStatus: 'valid' | 'invalid' | 'unchecked' | 'locked' | null;
  keyword: string | null;
  testUserStatus: 'ok' | 'not_found' | 'no_transactional' | 'unchecked' | null;
  enabledEvents: number;
  testedEvents: number;
}

/** The go-live checks that are not passes, counted (null: not computed, the steps are not done). */
export interface GoLiveCounts {
  fail: number;
  unchecked: number;
  warn: number;
  /** Enabled events whose readiness check passes (accepted, and the newest attempt went through). */
  eventsPassed?: number;
}

/** The setup's steps are done: the wizard's finish line. */
export function setupStepsDone(f: SetupFacts): boolean {
  return (f.keyStatus === 'valid' || f.keyStatus === 'locked') && (f.keyword ?? '') !== '' && f.testUserStatus === 'ok' && f.enabledEvents > 0 && f.testedEvents === f.enabledEvents;
}

export type SetupState =
  | { kind: 'in_progress' }
  /** Steps done; go-live still has failing or unchecked checks. */
  | { kind: 'go_live_pending'; fail: number; unchecked: number }
  | { kind: 'complete' };

export function setupState(f: SetupFacts, goLive: GoLiveCounts | null): SetupState {
  if (!setupStepsDone(f) || goLive === null) return { kind: 'in_progress' };
  if (goLive.fail > 0 || goLive.unchecked > 0) return { kind: 'go_live_pending', fail: goLive.fail, unchecked: goLive.unchecked };
  return { kind: 'complete' };
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `2 checks fail, 1 not checked yet`. */
export function goLiveShortfall(fail: number, unchecked: number): string {
  const parts: string[] = [];
  if (fail > 0) parts.push(`${count(fail, 'check', 'checks')} ${fail === 1 ? 'fails' : 'fail'}`);
  if (unchecked > 0) parts.push(`${count(unchecked, 'check', 'checks')} not checked yet`);
  return parts.join(', ');
}

/** The stores list's progress line. */
export function setupProgressText(f: SetupFacts, goLive: GoLiveCounts | null): string {
  const state = setupState(f, goLive);
  if (state.kind === 'complete') return `✓ set up · ${count(f.enabledEvents, 'event', 'events')}`;
  if (state.kind === 'go_live_pending') return `Set up · go-live: ${goLiveShortfall(state.fail, state.unchecked)}`;
  return f.enabledEvents === 0 ? 'no events on yet' : `${f.testedEvents} of ${f.enabledEvents} events sent`;
}

/** The setup summary card's heading. */
export function setupHeading(f: SetupFacts, goLive: GoLiveCounts | null): string {
  const state = setupState(f, goLive);
  if (state.kind === 'complete') return 'Setup complete';
  if (state.kind === 'go_live_pending') return `Set up · go-live: ${goLiveShortfall(state.fail, state.unchecked)}`;
  return 'Setup needs attention';
}
