/**
 * A screen whose code is loaded when first needed, and can be fetched ahead (when the page is idle).
 * React.lazy alone suspends on a screen's first render even when its code is already here, and
 * React holds a Suspense fallback for about 300 ms: a first switch took 330 ms. Once fetched ahead,
 * the screen renders at once, without suspending.
 */
import { lazy, type ComponentType } from 'react';

export function lazyScreen<M>(load: () => Promise<M>, pick: (m: M) => ComponentType): { Screen: ComponentType; preload: () => Promise<void> } {
  let ready: ComponentType | null = null;
  const remember = (m: M): ComponentType => (ready ??= pick(m));
  const Lazy = lazy(() => load().then((m) => ({ default: remember(m) })));
  return {
    Screen: function Screen() {
      const Ready = ready;
      return Ready !== null ? <Ready /> : <Lazy />;
    },
    preload: () => load().then((m) => void remember(m)),
  };
}
