/**
 * How a file the app made reaches the agent, one way for all of them (reports, the delivery log's
 * export, a batch's CSV): main writes it to the exports folder; the browser shell then hands it
 * over as a download (GET /__files/<name>), and the desktop app offers Show in folder and Open
 * (ExportedFiles.tsx). The hand-over file is made in the page and saved with `downloadText`.
 */
import { api } from '../api';

let delivery: Promise<'download' | 'desktop'> | null = null;
/** Asked once: the shell does not change while the page is open. */
export function fileDelivery(): Promise<'download' | 'desktop'> {
  delivery ??= api.app.info({}).then(
    (i) => i.files,
    (err: unknown) => {
      delivery = null;
      throw err;
    },
  );
  return delivery;
}

/** The file's name, from its path on either system. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function downloadUrl(path: string): string {
  return `/__files/${encodeURIComponent(fileName(path))}`;
}

/** In the browser shell, starts the download of each file; the desktop app leaves them where they are. */
export async function deliverFiles(paths: string[]): Promise<void> {
  if ((await fileDelivery()) !== 'download') return;
  for (const p of paths) clickLink(downloadUrl(p), fileName(p));
}

function clickLink(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
}

/** Saves text made in the page (the hand-over file) through the browser's download. */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  clickLink(url, filename);
  URL.revokeObjectURL(url);
}
