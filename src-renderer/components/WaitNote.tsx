/** Why sends wait, with the next try counting down: the batch card and the outbox banner say it the same way. */
import { useEffect, useState } from 'react';
import type { WaitReason } from '../../src-shared/ipc/contract';

/** Ticks once a second while `active`, so "next try in 4 s" counts down. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** "Postscript is rate-limiting this key (429): next try in 4 s." */
export function waitText(w: WaitReason, now: number): string {
  if (w.nextTryAt === null) return `${w.text}.`;
  const s = Math.ceil((Date.parse(w.nextTryAt) - now) / 1000);
  return s > 0 ? `${w.text}: next try in ${s} s.` : `${w.text}: trying again now.`;
}

export function WaitNote(props: { wait: WaitReason; testId: string }): React.JSX.Element {
  const now = useNow(props.wait.nextTryAt !== null);
  return (
    <span data-testid={props.testId} data-kind={props.wait.kind}>
      {waitText(props.wait, now)}
    </span>
  );
}
