/** The batch's go-live report: one line per store plus totals, as HTML and PDF in the exports folder. */
import { useState } from 'react';
import { api } from '../../api';
import { deliverFiles } from '../download';
import { ExportedFiles } from '../ExportedFiles';
import { useAction } from '../useAction';

export function BatchReportButton(props: { batchId: string }): React.JSX.Element {
  const { busy, note, run } = useAction();
  const [saved, setSaved] = useState<{ lead: string; paths: string[] } | null>(null);
  const make = async (): Promise<void> => {
    setSaved(null);
    const r = await api.readiness.batchReport({ batchId: props.batchId });
    setSaved({ lead: `Readiness report of ${r.stores} store${r.stores === 1 ? '' : 's'} saved (HTML and PDF).`, paths: [r.htmlPath, r.pdfPath] });
    await deliverFiles([r.htmlPath, r.pdfPath]);
  };
  return (
    <>
      <button type="button" disabled={busy} data-testid="batch-readiness-report" onClick={() => void run(make)}>
        Readiness report
      </button>
      {saved !== null && <ExportedFiles paths={saved.paths} lead={saved.lead} testId="batch-report-note" />}
      {saved === null && note !== null && (
        <span className="small report-paths" role="status" data-testid="batch-report-note">
          {note}
        </span>
      )}
    </>
  );
}
