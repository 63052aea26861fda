/**
 * A store: its facts and health, then the rest of the setup wizard (Test Event User, events, send
 * tests), resumable at the step the agent left, and its recent deliveries.
 */
import { useEffect } from 'react';
import type { SetupStep } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { useDeliveries } from '../../state/deliveries';
import { useStores } from '../../state/stores';
import { DeliveryTable } from '../DeliveryTable';
import { ReadinessPanel } from '../golive/ReadinessPanel';
import { StoreHeader } from './StoreHeader';
import { TestUserStep } from './TestUserStep';
import { EventsStep } from './EventsStep';
import { SendTestsStep } from './SendTestsStep';
import { DoneStep } from './DoneStep';

const STEPS: Array<{ step: SetupStep; label: string }> = [
  { step: 'user', label: '3 Test Event User' },
  { step: 'events', label: '4 Events' },
  { step: 'test', label: '5 Send tests' },
  { step: 'done', label: 'Done' },
];

export function StoreDetailView(): React.JSX.Element {
  const detail = useStores((s) => s.detail);
  const selectedId = useStores((s) => s.selectedId);

  useEffect(() => {
    void useDeliveries.getState().setStore(selectedId);
  }, [selectedId]);

  if (detail === null) return <p className="muted">Loading…</p>;
  const go = (step: SetupStep): void => void api.stores.setStep({ storeId: detail.id, step });
  return (
    <div className="store-detail" data-testid="store-detail">
      <StoreHeader store={detail} />
      <ol className="stepper" aria-label="Setup steps">
        <li className="done">1 Store</li>
        <li className="done">2 Keyword and key</li>
        {STEPS.map((s) => (
          <li key={s.step} className={s.step === detail.setupStep ? 'current' : ''}>
            <button type="button" className="link" onClick={() => go(s.step)} aria-current={s.step === detail.setupStep ? 'step' : undefined} data-testid={`step-${s.step}`}>
              {s.label}
            </button>
          </li>
        ))}
      </ol>
      {detail.setupStep === 'user' && <TestUserStep store={detail} onNext={() => go('events')} />}
      {detail.setupStep === 'events' && <EventsStep store={detail} onNext={() => go('test')} />}
      {detail.setupStep === 'test' && <SendTestsStep store={detail} onDone={() => go('done')} />}
      {detail.setupStep === 'done' && <DoneStep store={detail} onEdit={go} />}
      <ReadinessPanel key={detail.id} storeId={detail.id} />
      <section className="card" aria-label="Recent deliveries">
        <h3>Recent deliveries</h3>
        <DeliveryTable compact />
      </section>
    </div>
  );
}
