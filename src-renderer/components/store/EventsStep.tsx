/** Setup step 4: which Skio events go to Postscript, with the SkioSMS-overlap warning. */
import { findSkioEvent } from '../../../src-shared/events/catalog';
import type { StoreDetail } from '../../../src-shared/ipc/contract';
import { EventRow } from './EventRow';

export function EventsStep(props: { store: StoreDetail; onNext: () => void }): React.JSX.Element {
  const s = props.store;
  const enabled = s.triggers.filter((t) => t.enabled).length;
  const both = s.triggers.filter((t) => t.enabled && t.skioSmsAlso);
  return (
    <section className="card" aria-label="Event triggers">
      <h3>Events to send to Postscript</h3>
      <p className="muted small">Turn on the events the merchant wants in Postscript flows. Each shows the name it will have in Postscript’s flow builder.</p>
      {both.length > 0 && (
        <p className="banner warning small" role="note" data-testid="coexistence-warning">
          {both.length === 1 ? '1 event is' : `${both.length} events are`} also sent by SkioSMS: subscribers would get two texts for{' '}
          {both.map((t) => findSkioEvent(t.eventKey)?.name).join(', ')}. Turn the event off in SkioSMS, or turn its switch off here so that only SkioSMS sends it.
        </p>
      )}
      <ul className="triggers">
        {s.triggers.map((t) => (
          <EventRow key={t.eventKey} store={s} trigger={t} />
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="primary" disabled={enabled === 0} onClick={props.onNext} data-testid="to-tests">
          Next: send tests ({enabled})
        </button>
      </div>
    </section>
  );
}
