/** One Skio event’s switch and settings (days before, also sent by SkioSMS). */
import { useState } from 'react';
import { findSkioEvent, postscriptDisplayName } from '../../../src-shared/events/catalog';
import type { StoreDetail, TriggerState } from '../../../src-shared/ipc/contract';
import { DAYS_BEFORE_MAX, DAYS_BEFORE_MIN, daysBeforeProblem } from '../../../src-shared/rules/daysBefore';
import { api } from '../../api';
import { useStores } from '../../state/stores';
import { errorText } from './errorText';

export function EventRow(props: { store: StoreDetail; trigger: TriggerState }): React.JSX.Element {
  const { store, trigger } = props;
  const event = findSkioEvent(trigger.eventKey);
  // Shown at once while main saves it; dropped once the saved state has been refetched.
  const [pending, setPending] = useState<{ enabled?: boolean; skioSmsAlso?: boolean }>({});
  const [error, setError] = useState<string | null>(null);
  const [days, setDays] = useState(String(trigger.settings.daysBefore ?? ''));
  if (event === undefined) return <></>;
  const enabled = pending.enabled ?? trigger.enabled;
  const skioSmsAlso = pending.skioSmsAlso ?? trigger.skioSmsAlso;
  const set = (change: { enabled?: boolean; daysBefore?: number; skioSmsAlso?: boolean }): void => {
    setError(null);
    setPending((p) => ({ ...p, ...(change.enabled === undefined ? {} : { enabled: change.enabled }), ...(change.skioSmsAlso === undefined ? {} : { skioSmsAlso: change.skioSmsAlso }) }));
    api.triggers
      .set({ storeId: store.id, eventKey: event.key, ...change })
      .then(() => useStores.getState().refreshDetail(), (err: unknown) => setError(errorText(err)))
      .finally(() => setPending({}));
  };
  return (
    <li className={enabled ? 'trigger events on' : 'trigger events'} data-testid={`trigger-${event.key}`}>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={enabled}
          aria-label={`Send ${event.name} to Postscript`}
          data-testid={`toggle-${event.key}`}
          onChange={(e) => set({ enabled: e.target.checked })}
        />
        <span className="switch-track" aria-hidden="true" />
      </label>
      <div className="trigger-text">
        <div className="trigger-name">{event.name}</div>
        <div className="muted small">{event.description}</div>
        <div className="small">
          In Postscript: <code>{postscriptDisplayName(store.postscriptShopName ?? store.name, event.postscriptType)}</code>
        </div>
        {error !== null && (
          <div className="fail small" role="alert">
            {error}
          </div>
        )}
      </div>
      <div className="trigger-settings small">
        {trigger.settings.daysBefore !== undefined && (
          <label className="inline">
            Days before
            <input
              type="number"
              min={DAYS_BEFORE_MIN}
              max={DAYS_BEFORE_MAX}
              value={days}
              className="narrow"
              data-testid={`days-${event.key}`}
              onChange={(e) => setDays(e.target.value)}
              onBlur={() => {
                const n = Number(days);
                if (n === trigger.settings.daysBefore) return;
                const problem = daysBeforeProblem(n);
                if (problem !== null) setError(problem);
                else set({ daysBefore: n });
              }}
            />
          </label>
        )}
        <label className="inline check" title="Tick this if the merchant’s SkioSMS also texts subscribers for this event: with both on, they would get two texts.">
          <input type="checkbox" checked={skioSmsAlso} onChange={(e) => set({ skioSmsAlso: e.target.checked })} aria-describedby={`skiosms-help-${event.key}`} data-testid={`skiosms-${event.key}`} />
          Also sent by SkioSMS
        </label>
        <span className="muted hint" id={`skiosms-help-${event.key}`}>
          The merchant’s SkioSMS texts this too
        </span>
      </div>
    </li>
  );
}
