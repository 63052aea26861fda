/**
 * The files the app makes for the agent (readiness reports, the delivery log's and a batch's
 * exports) live in the exports folder. This is the one rule for handing one back by name (the
 * browser shell's download, Electron's "Show in folder" and "Open"): a name the app gives its
 * files, directly in the exports folder, a regular file (not a link to somewhere else). The
 * exports folder may be the agent's Downloads, so nothing else of theirs is served.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src-shared/errors';
import { DISK_FULL, writeFailureKind } from '../db/writeFailure';

/** `readiness-…`, `readiness-batch-…`, `postscript-deliveries-…`, `batch-…`; see their writers. */
const MADE_BY_THE_APP = /^(readiness|postscript-deliveries|batch)-[a-z0-9][a-z0-9-]*\.(html|pdf|csv|json)$/;

export const EXPORT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** The full path of an exported file, or a not_found AppError saying why it cannot be given. */
export function resolveExportFile(exportsDir: string, name: string): string {
  if (!MADE_BY_THE_APP.test(name)) throw new AppError('not_found', `“${name.slice(0, 80)}” is not a file this app made.`);
  const file = path.join(exportsDir, name);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    throw new AppError('not_found', `${name} is no longer in ${exportsDir}: it was moved or deleted. Make it again.`);
  }
  if (!stat.isFile()) throw new AppError('not_found', `${name} in ${exportsDir} is not a plain file, so it is not handed out.`);
  return file;
}

/** Writes a new export 0600 (it may carry phones), under a name not yet taken (`-2`, `-3`…). */
export function writeExportFile(exportsDir: string, name: string, text: string): string {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let file = '';
  try {
    fs.mkdirSync(exportsDir, { recursive: true, mode: 0o700 });
    for (let i = 1; ; i++) {
      file = path.join(exportsDir, i === 1 ? name : `${stem}-${i}${ext}`);
      try {
        fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
        return file;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  } catch (err) {
    // A half-written file goes; the agent reads why and what to do.
    if (file !== '') fs.rmSync(file, { force: true });
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (writeFailureKind(err) === 'full') throw new AppError('internal', `${DISK_FULL}, so ${name} was not written. Free some disk space and export again.`);
    throw new AppError('internal', `${name} could not be written to ${exportsDir} (${code}). Check that the folder exists and is writable, or set POSTSCRIPT_CONSOLE_EXPORTS_DIR to another folder.`);
  }
}
