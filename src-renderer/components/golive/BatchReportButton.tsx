/** The batch's go-live report: one line per store plus totals, as HTML and PDF in the exports folder. */
import { useState } from 'react';
import { api } from '../../api';
import { useAction } from '../useAction';

export function BatchReportButton(props: { batchId: string }): React.JSX.Element {
  const { busy, note, run } = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  const make = async (): Promise<void> => {
    setSaved(null);
    const r = await api.readiness.batchReport({ batchId: props.batchId });
    setSaved(`Readiness report of ${r.stores} store${r.stores === 1 ? '' : 's'} saved: ${r.htmlPath} and ${r.pdfPath}`);
  };
  return (
    <>
      <button type="button" disabled={busy} data-testid="batch-readiness-report" onClick={() => void run(make)}>
        Readiness report
      </button>
      {(saved ?? note) !== null && (
        <span className="small report-paths" role="status" data-testid="batch-report-note">
          {saved ?? note}
        </span>
      )}
    </>
  );
}
