/**
 * The setup steps of a store (the new-store wizard's and a store page's): each finished step says so
 * with a ✓ and in words, the open one with a ▸ and `aria-current`, never by colour alone; a step
 * that can be opened is a button.
 */
export interface StepMark {
  /** `pill-<key>` and `step-<key>` in tests. */
  key: string;
  label: string;
  finished: boolean;
  current: boolean;
  /** Opens the step; a step without it is not reachable yet. */
  onOpen?: () => void;
  title?: string;
}

export function SetupStepper(props: { steps: StepMark[] }): React.JSX.Element {
  return (
    <ol className="stepper" aria-label="Setup steps">
      {props.steps.map((s) => {
        const mark = s.finished ? '✓ ' : s.current ? '▸ ' : '';
        const words = s.finished && s.current ? ' (finished, open)' : s.finished ? ' (finished)' : s.current ? ' (open)' : '';
        const content = (
          <>
            {mark !== '' && <span aria-hidden="true">{mark}</span>}
            {s.label}
            <span className="visually-hidden">{words}</span>
          </>
        );
        return (
          <li
            key={s.key}
            className={[s.finished ? 'done' : '', s.current ? 'current' : ''].join(' ').trim() || undefined}
            data-finished={s.finished ? 'true' : 'false'}
            data-testid={`pill-${s.key}`}
          >
            {s.onOpen !== undefined ? (
              <button type="button" className="link" onClick={s.onOpen} aria-current={s.current ? 'step' : undefined} title={s.title} data-testid={`step-${s.key}`}>
                {content}
              </button>
            ) : (
              <span aria-current={s.current ? 'step' : undefined} data-testid={`step-${s.key}`}>
                {content}
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
