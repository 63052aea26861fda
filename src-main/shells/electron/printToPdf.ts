/**
 * Electron's half of the report: the HTML file printed to PDF by Chromium itself, in a hidden
 * window that runs no script and fetches nothing (its own in-memory session refuses every request
 * but the file being printed).
 */
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session } from 'electron';

const PARTITION = 'report-print';

export async function printHtmlToPdf(htmlPath: string): Promise<Buffer> {
  const fileUrl = pathToFileURL(htmlPath).toString();
  const printSession = session.fromPartition(PARTITION);
  printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== fileUrl }));
  const window = new BrowserWindow({
    show: false,
    webPreferences: { partition: PARTITION, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true },
  });
  try {
    window.webContents.on('will-navigate', (event) => event.preventDefault());
    await window.loadFile(htmlPath);
    return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    window.destroy();
  }
}
