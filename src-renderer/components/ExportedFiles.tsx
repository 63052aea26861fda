/**
 * What became of the files an action made: where they are kept (the exports folder), and a way to
 * them: in the browser a download link per file (each already started once by `deliverFiles`), in
 * the desktop app Show in folder and Open.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import { downloadUrl, fileDelivery, fileName } from './download';
import { useAction } from './useAction';

export function ExportedFiles(props: { paths: string[]; lead: string; testId?: string }): React.JSX.Element {
  const [mode, setMode] = useState<'download' | 'desktop' | null>(null);
  const { note, run } = useAction();
  useEffect(() => {
    let live = true;
    void fileDelivery().then((m) => live && setMode(m), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return (
    <div className="small exported-files" role="status" data-testid={props.testId ?? 'exported-files'}>
      {props.lead}{' '}
      <span className="muted">Kept in the exports folder: {props.paths.map(fileName).join(', ')}.</span>
      <ul className="file-links">
        {props.paths.map((p) => (
          <li key={p} data-testid="exported-file" data-path={p}>
            {mode === 'download' && (
              <a href={downloadUrl(p)} download={fileName(p)} data-testid="download-file">
                Download {fileName(p)}
              </a>
            )}
            {mode === 'desktop' && (
              <>
                <code>{fileName(p)}</code>{' '}
                <button type="button" onClick={() => void run(() => api.files.reveal({ name: fileName(p) }))} data-testid="reveal-file">
                  Show in folder
                </button>{' '}
                <button type="button" onClick={() => void run(() => api.files.open({ name: fileName(p) }))} data-testid="open-file">
                  Open
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {note !== null && <span className="fail">{note}</span>}
    </div>
  );
}
