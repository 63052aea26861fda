/**
 * SQLite's quick check at start, on its own read-only connection in a worker thread: it reads every
 * page, which on a large log (a million rows, ~900 MB) takes seconds that the app's window and the
 * agent's clicks should not wait for. Sending waits for it instead (see StorageHealth).
 */
import { Worker } from 'node:worker_threads';

const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
try {
  const db = new Database(workerData.file, Object.assign({ readonly: true, fileMustExist: true }, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}));
  let lines;
  try {
    lines = db.pragma('quick_check(10)').map((r) => r.quick_check);
  } finally {
    db.close(); // before answering: the app's connection must be the last one when it closes (WAL checkpoint)
  }
  parentPort.postMessage({ lines });
} catch (err) {
  parentPort.postMessage({ error: String((err && err.message) || err), code: err && err.code });
}
`;

export type CheckOutcome = { problems: string[] } | { failed: string };

/** Problems found ([] when sound); `failed` when the check itself could not run (then the caller checks in-process). */
export function quickCheckInWorker(file: string, nativeBinding?: string): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(SCRIPT, { eval: true, workerData: { module: require.resolve('better-sqlite3'), file, nativeBinding } });
    } catch (err) {
      resolve({ failed: err instanceof Error ? err.message : String(err) });
      return;
    }
    worker.once('message', (m: { lines?: string[]; error?: string; code?: string }) => {
      void worker.terminate();
      if (m.lines !== undefined) resolve({ problems: m.lines.length === 1 && m.lines[0] === 'ok' ? [] : m.lines });
      // A file that is damaged where the check starts is a finding, not a failure to check.
      else if (typeof m.code === 'string' && (m.code.startsWith('SQLITE_CORRUPT') || m.code === 'SQLITE_NOTADB')) resolve({ problems: [m.error ?? m.code] });
      else resolve({ failed: m.error ?? 'unknown' });
    });
    worker.once('error', (err) => resolve({ failed: err.message }));
  });
}
