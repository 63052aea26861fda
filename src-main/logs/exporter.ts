/**
 * Writes the filtered delivery log to a file, streamed in keyset chunks, so memory stays flat
 * however many rows match, and the main process stays responsive between chunks. Headers are
 * stored masked, so no key can reach the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { csvLine } from '../../src-shared/csv';
import type { DeliveryLog, LogFilter } from '../db/deliveryLog';
import { DISK_FULL, writeFailureKind } from '../db/writeFailure';
import type { EventBus } from '../ipc/events';

const CHUNK = 2000;
const COLUMNS = [
  'id', 'started_at', 'store', 'store_id', 'event', 'external_id', 'phone', 'attempt', 'outcome', 'response_status', 'error_code', 'error_message',
  'latency_ms', 'batch_id', 'request_method', 'request_url', 'request_headers', 'request_body', 'response_body',
] as const;

export function exportFileName(format: 'csv' | 'json', now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `postscript-deliveries-${stamp}.${format}`;
}

export function startExport(
  log: DeliveryLog,
  bus: EventBus,
  dir: string,
  filter: LogFilter,
  format: 'csv' | 'json',
): { jobId: string; path: string; done: Promise<number> } {
  const jobId = crypto.randomUUID();
  // A folder made here (POSTSCRIPT_CONSOLE_EXPORTS_DIR, <dataDir>/exports) is private: the files hold phone numbers.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let file = path.join(dir, exportFileName(format));
  for (let i = 2; fs.existsSync(file); i++) file = path.join(dir, exportFileName(format).replace(`.${format}`, `-${i}.${format}`));
  const done = (async () => {
    // 0600: the rows carry subscribers' phone numbers and request bodies.
    const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    // A write error (a full disk) arrives as an event, possibly while nothing awaits the stream.
    let failure: Error | null = null;
    out.on('error', (e) => (failure ??= e));
    const write = async (s: string): Promise<void> => {
      if (failure !== null) throw failure;
      if (out.write(s)) return;
      await new Promise<void>((resolve, reject) => {
        if (failure !== null) return reject(failure);
        const onDrain = (): void => {
          out.off('close', onClose);
          resolve();
        };
        const onClose = (): void => {
          out.off('drain', onDrain);
          reject(failure ?? new Error('The export file was closed.'));
        };
        out.once('drain', onDrain);
        out.once('close', onClose);
      });
    };
    let rows = 0;
    try {
      await write(format === 'csv' ? csvLine([...COLUMNS]) : '[\n');
      let before: number | undefined;
      for (;;) {
        const chunk = log.chunk(filter, before, CHUNK);
        if (chunk.length === 0) break;
        let text = '';
        for (const r of chunk) {
          if (format === 'csv') {
            text += csvLine([r.id, r.startedAt, r.storeName, r.storeId, r.eventKey, r.externalId, r.phone, r.attempt, r.outcome, r.responseStatus, r.errorCode, r.errorMessage, r.latencyMs, r.batchId, r.requestMethod, r.requestUrl, JSON.stringify(r.requestHeaders), r.requestBody, r.responseBody]);
          } else {
            // A comma before every row but the very first of the file.
            text += `${rows === 0 && text === '' ? '' : ',\n'}${JSON.stringify(r)}`;
          }
        }
        await write(text);
        rows += chunk.length;
        before = chunk[chunk.length - 1]!.id;
        bus.emit('progress', { jobId, kind: 'export', done: rows, total: null, finished: false });
        // Let other work (the agent's clicks, the outbox) run between chunks.
        await new Promise((r) => setImmediate(r));
      }
      if (format === 'json') await write('\n]\n');
      out.end();
      await finished(out);
      if (failure !== null) throw failure;
      bus.emit('progress', { jobId, kind: 'export', done: rows, total: rows, finished: true, path: file });
      return rows;
    } catch (err) {
      out.destroy();
      // A partial (or empty) file must not pass for an export: it goes, and the agent is told.
      await fs.promises.rm(file, { force: true }).catch(() => undefined);
      const message =
        writeFailureKind(err) === 'full'
          ? `${DISK_FULL}: the export stopped after ${rows} rows and its unfinished file was removed (${dir}). Free some space and export again.`
          : `The export failed and its unfinished file was removed: ${err instanceof Error ? err.message : String(err)}`;
      bus.emit('progress', { jobId, kind: 'export', done: rows, total: null, finished: true, error: message });
      return rows;
    }
  })();
  return { jobId, path: file, done };
}
