/**
 * Electron's half of the report: the HTML file printed to PDF by Chromium itself, in a hidden
 * window that runs no script and fetches nothing. The file is served from the app's own scheme
 * (`postscript-console://report/<one-time id>`, with the report's CSP as a header) in a session of
 * its own that refuses every request but that one; the window is guarded like every other (see
 * guards.ts: no navigation, no new windows, no webviews, no permissions).
 */
import crypto from 'node:crypto';
import { BrowserWindow, session } from 'electron';
import { REPORT_CSP } from '../../readiness/reportHtml';
import { APP_SCHEME, fileResponse, refusal } from './appScheme';

export const REPORT_HOST = 'report';
const PARTITION = 'report-print';

/** Files being printed, by their one-time URL. */
const printing = new Map<string, string>();
let prepared = false;

function printSession(): Electron.Session {
  const s = session.fromPartition(PARTITION);
  if (!prepared) {
    prepared = true;
    // Only the file being printed, by its exact one-time URL.
    s.protocol.handle(APP_SCHEME, (request) => {
      const file = printing.get(request.url);
      return file === undefined ? refusal(404, 'Not found', REPORT_CSP) : fileResponse(file, REPORT_CSP);
    });
    s.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !printing.has(details.url) }));
  }
  return s;
}

export async function printHtmlToPdf(htmlPath: string): Promise<Buffer> {
  const url = `${APP_SCHEME}://${REPORT_HOST}/${crypto.randomUUID()}.html`;
  printing.set(url, htmlPath);
  const window = new BrowserWindow({
    show: false,
    webPreferences: { session: printSession(), javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true },
  });
  try {
    await window.loadURL(url);
    return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    printing.delete(url);
    window.destroy();
  }
}
