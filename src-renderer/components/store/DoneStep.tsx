/** The setup summary: what is complete and what needs attention. */
import type { SetupStep, StoreDetail } from '../../../src-shared/ipc/contract';
import { answererOf } from '../../../src-shared/rules/accountName';
import { goLiveShortfall, setupHeading, setupState } from '../../../src-shared/rules/setupState';

export function DoneStep(props: { store: StoreDetail; onEdit: (step: SetupStep) => void; onSetKeyword: () => void }): React.JSX.Element {
  const s = props.store;
  const by = answererOf(s.account);
  const checks: Array<[boolean, string]> = [
    [
      s.keyStatus === 'valid',
      s.keyStatus === 'valid'
        ? `API key ${s.keyMask ?? ''} accepted by ${by}`
        : s.keyStatus === 'invalid'
          ? `API key ${s.keyMask ?? ''} refused by ${by}: rotate the key`
          : `API key ${s.keyMask ?? ''} not yet checked with ${by}`,
    ],
    [s.keyword !== null, s.keyword === null ? 'Keyword trigger not set yet (left to set later)' : `Keyword trigger ${s.keyword}`],
    [s.testUserStatus === 'ok', `Test Event User ${s.testPhone ?? ''} can receive transactional texts`],
    // Once the steps are done, from the same readiness checks as the panel below: an event whose
    // newest attempt did not go through is not ticked here while the panel warns about it.
    s.goLive?.eventsPassed === undefined
      ? [s.enabledEvents > 0 && s.testedEvents === s.enabledEvents, `${s.testedEvents} of ${s.enabledEvents} enabled events sent to ${by}`]
      : [
          s.enabledEvents > 0 && s.goLive.eventsPassed === s.enabledEvents,
          `${s.goLive.eventsPassed} of ${s.enabledEvents} enabled events accepted by ${by}${s.goLive.eventsPassed === s.enabledEvents ? '' : ', newest attempt included: see Go-live readiness below'}`,
        ],
  ];
  const state = setupState(s, s.goLive);
  return (
    <section className="card" aria-label="Setup summary" data-testid="setup-summary-card" data-state={state.kind}>
      <h3>{setupHeading(s, s.goLive)}</h3>
      {state.kind === 'go_live_pending' && (
        <p className="small warning-text" data-testid="setup-go-live">
          The setup steps are done, but go-live is not proven yet: {goLiveShortfall(state.fail, state.unchecked)}. Each says what to do under Go-live readiness below.
        </p>
      )}
      <ul className="checks" data-testid="setup-summary">
        {checks.map(([ok, text]) => (
          <li key={text} className={ok ? 'ok' : 'fail'}>
            {ok ? '✓' : '✗'} {text}
          </li>
        ))}
      </ul>
      <p className="small muted">In Postscript: Automation Flows → Create an Automation Flow → choose one of the Skio events as its trigger.</p>
      <div className="actions">
        {s.keyword === null && (
          <button type="button" onClick={props.onSetKeyword}>
            Set keyword
          </button>
        )}
        <button type="button" onClick={() => props.onEdit('events')}>
          Change events
        </button>
        <button type="button" onClick={() => props.onEdit('test')}>
          Send tests again
        </button>
      </div>
    </section>
  );
}
