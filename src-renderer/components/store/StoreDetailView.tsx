/**
 * A store: its facts and health, then the rest of the setup wizard (Test Event User, events, send
 * tests), resumable at the step the agent left, and its recent deliveries.
 */
import { useEffect, useRef, useState } from 'react';
import type { SetupStep, StoreDetail } from '../../../src-shared/ipc/contract';
import { api } from '../../api';
import { useDeliveries } from '../../state/deliveries';
import { useStores } from '../../state/stores';
import { DeliveryTable } from '../DeliveryTable';
import { ReadinessPanel } from '../golive/ReadinessPanel';
import { StoreHeader } from './StoreHeader';
import { TestUserStep } from './TestUserStep';
import { EventsStep } from './EventsStep';
import { SendTestsStep } from './SendTestsStep';
import { StoreTeamHistory } from '../settings/StoreTeamHistory';
import { useTeam } from '../../state/team';
import { DoneStep } from './DoneStep';
import { SetupStepper } from '../SetupStepper';

const STEPS: Array<{ step: SetupStep; label: string }> = [
  { step: 'user', label: '3 Test Event User' },
  { step: 'events', label: '4 Events' },
  { step: 'test', label: '5 Send tests' },
  { step: 'done', label: 'Done' },
];

/** Whether a step's work is finished, whichever step the agent is on. */
function stepFinished(step: SetupStep, s: StoreDetail): boolean {
  if (step === 'user') return s.testUserStatus !== null && s.testUserStatus !== 'not_found';
  if (step === 'events') return s.enabledEvents > 0;
  if (step === 'test') return s.enabledEvents > 0 && s.testedEvents === s.enabledEvents;
  return s.setupComplete;
}

export function StoreDetailView(): React.JSX.Element {
  const detail = useStores((s) => s.detail);
  const activity = useTeam((s) => (detail === null ? undefined : s.activity[detail.id]));
  const selectedId = useStores((s) => s.selectedId);
  const opened = useRef<string | null>(null);
  /** The keyword editor in the header, for the store it was opened on. */
  const [keywordFor, setKeywordFor] = useState<string | null>(null);

  useEffect(() => {
    void useDeliveries.getState().setStore(selectedId);
  }, [selectedId]);
  // A store whose setup is complete opens on its summary, wherever the agent last was.
  useEffect(() => {
    if (detail === null || opened.current === detail.id) return;
    opened.current = detail.id;
    if (detail.setupComplete && detail.setupStep !== 'done') void api.stores.setStep({ storeId: detail.id, step: 'done' });
  }, [detail]);

  if (detail === null) return <p className="muted">Loading…</p>;
  const go = (step: SetupStep): void => void api.stores.setStep({ storeId: detail.id, step });
  const showFacts = (): void => {
    const title = document.querySelector<HTMLElement>('[data-testid="store-title"]');
    title?.scrollIntoView({ block: 'nearest' });
    title?.focus();
  };
  const lastChange = activity?.lastAt ?? undefined;
  return (
    <div className="store-detail" data-testid="store-detail">
      <StoreHeader store={detail} editingKeyword={keywordFor === detail.id} onEditKeyword={(open) => setKeywordFor(open ? detail.id : null)} />
      <SetupStepper
        steps={[
          // The store exists, so its first step is done; opening it shows the store's facts above.
          { key: 'store', label: '1 Store', finished: true, current: false, onOpen: showFacts, title: 'The store’s name, shop and account' },
          // The key is changed with Rotate key; the keyword here, in the header's editor.
          { key: 'keyword', label: '2 Keyword and key', finished: detail.keyword !== null, current: false, onOpen: () => setKeywordFor(detail.id), title: 'Set or change the keyword trigger' },
          ...STEPS.map((s) => ({ key: s.step, label: s.label, finished: stepFinished(s.step, detail), current: s.step === detail.setupStep, onOpen: () => go(s.step) })),
        ]}
      />
      {detail.keyStatus === 'unchecked' && (
        <p className="banner warning" role="status" data-testid="store-unchecked">
          Saved while Postscript was out of reach: the key, keyword and Test Event User are not checked yet. Go on with the next steps and queue tests; the app checks
          everything by itself when Postscript is back, tells you what it found, and then sends the queued tests.
        </p>
      )}
      {(detail.cannotSend ?? null) !== null && (
        <p className="banner warning" role="status" data-testid="store-cannot-send">
          {detail.cannotSend}
        </p>
      )}
      {detail.setupStep === 'user' && <TestUserStep store={detail} onNext={() => go('events')} />}
      {detail.setupStep === 'events' && <EventsStep store={detail} onNext={() => go('test')} />}
      {detail.setupStep === 'test' && <SendTestsStep store={detail} onDone={() => go('done')} />}
      {detail.setupStep === 'done' && <DoneStep store={detail} onEdit={go} onSetKeyword={() => setKeywordFor(detail.id)} />}
      <ReadinessPanel key={detail.id} storeId={detail.id} />
      <StoreTeamHistory key={`team-${detail.id}`} storeId={detail.id} updatedAt={lastChange} />
      <section className="card" aria-label="Recent deliveries">
        <h3>Recent deliveries</h3>
        <DeliveryTable compact />
      </section>
    </div>
  );
}
