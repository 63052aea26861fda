/**
 * Writes a report's HTML and PDF to the exports folder, 0600 (they name the merchant's shop and
 * test phone). A report is written whole or not at all: on any failure (a full disk, the store
 * deleted meanwhile) the files already written are removed, and the agent reads what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src-shared/errors';
import { DISK_FULL, writeFailureKind } from '../db/writeFailure';

export interface ReportFiles {
  htmlPath: string;
  pdfPath: string;
}

export function reportBaseName(kind: string, slug: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const safe = slug.toLowerCase().replace(/\.myshopify\.com$/, '').replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'store';
  return `${kind}-${safe}-${stamp}`;
}

function uniqueBase(dir: string, base: string): string {
  let name = base;
  for (let i = 2; fs.existsSync(path.join(dir, `${name}.html`)) || fs.existsSync(path.join(dir, `${name}.pdf`)); i++) name = `${base}-${i}`;
  return path.join(dir, name);
}

function writeFailure(err: unknown, dir: string): AppError {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const kind = writeFailureKind(err);
  if (kind === 'full') {
    return new AppError('internal', `${DISK_FULL}, so the report was not written (nothing else was changed). Free some disk space and make the report again.`);
  }
  if (kind === 'read_only' || kind === 'not_writable' || code === 'ENOENT' || code === 'ENOTDIR') {
    return new AppError('internal', `The report could not be written to ${dir} (${code}). Check that the folder exists and is writable, or set POSTSCRIPT_CONSOLE_EXPORTS_DIR to another folder.`);
  }
  return new AppError('internal', `The report could not be written: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * Writes `<base>.html`, then makes the PDF from it (`makePdf` gets the HTML file's path), then
 * writes `<base>.pdf`. `stillWanted` runs before each write and throws when the report should not
 * be kept (its store was deleted meanwhile).
 */
export async function writeReport(dir: string, base: string, html: string, makePdf: (htmlPath: string) => Promise<Buffer>, stillWanted: () => void): Promise<ReportFiles> {
  const written: string[] = [];
  const write = async (file: string, data: string | Buffer): Promise<void> => {
    try {
      await fs.promises.writeFile(file, data, { mode: 0o600, flag: 'wx' });
      written.push(file);
    } catch (err) {
      // A half-written file goes; a file that was already there (EEXIST) is someone else's.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await fs.promises.rm(file, { force: true }).catch(() => undefined);
      throw err;
    }
  };
  try {
    // The folder is made private only when this app creates it; an existing Downloads keeps its mode.
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    const stem = uniqueBase(dir, base);
    const htmlPath = `${stem}.html`;
    const pdfPath = `${stem}.pdf`;
    stillWanted();
    await write(htmlPath, html);
    const pdf = await makePdf(htmlPath);
    stillWanted();
    await write(pdfPath, pdf);
    return { htmlPath, pdfPath };
  } catch (err) {
    await Promise.all(written.map((f) => fs.promises.rm(f, { force: true }).catch(() => undefined)));
    throw writeFailure(err, dir);
  }
}
