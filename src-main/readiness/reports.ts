/** Makes a store's report, or a batch's: one snapshot of the checks, then HTML and PDF files. */
import { AppError } from '../../src-shared/errors';
import type { ReadinessDeps } from './deps';
import { attemptsChart } from './chart';
import { readinessOf } from './checks';
import { batchReportDoc, storeReportDoc, type BatchLine, type ReportDoc } from './reportDoc';
import { reportBaseName, writeReport, type ReportFiles } from './reportFiles';
import { renderReportHtml } from './reportHtml';
import { renderReportPdf } from './reportPdf';

/** Electron prints the HTML page itself; elsewhere pdfkit draws the same document. */
function pdfMaker(ctx: ReadinessDeps, doc: ReportDoc): (htmlPath: string) => Promise<Buffer> {
  const print = ctx.printToPdf;
  return print === null ? () => renderReportPdf(doc) : (htmlPath) => print(htmlPath);
}

export async function makeStoreReport(ctx: ReadinessDeps, storeId: string): Promise<ReportFiles> {
  const readiness = readinessOf(ctx, storeId);
  const perEvent = ctx.storeHealth.attemptsPerEvent(storeId);
  const followUps = perEvent.find((e) => e.eventKey === 'next_billing_date_updated')?.n ?? 0;
  const attempts = { perEvent, skipFollowUps: Math.min(ctx.storeHealth.skipCount(storeId), followUps) };
  const doc = storeReportDoc(readiness, attemptsChart(ctx, [storeId]), attempts, ctx.version);
  const stillThere = (): void => {
    if (ctx.repo.getStore(storeId) === undefined) {
      throw new AppError('not_found', `${readiness.storeName} was deleted while its report was being made, so no report was kept.`);
    }
  };
  return writeReport(ctx.exportsDir, reportBaseName('readiness', readiness.shopDomain), renderReportHtml(doc), pdfMaker(ctx, doc), stillThere);
}

export async function makeBatchReport(ctx: ReadinessDeps, batchId: string): Promise<ReportFiles & { stores: number; skipped: number }> {
  const name = ctx.storeHealth.batchName(batchId);
  if (name === undefined) throw new AppError('not_found', 'This batch no longer exists.');
  const lines: BatchLine[] = [];
  const skipped: string[] = [];
  for (const s of ctx.storeHealth.batchStores(batchId)) {
    try {
      lines.push({ readiness: readinessOf(ctx, s.storeId), delivered: s.delivered, failed: s.failed, other: s.other });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'not_found')) throw err;
      skipped.push(s.storeId);
    }
    // Many stores: let the agent's clicks and the outbox run between them.
    await new Promise((r) => setImmediate(r));
  }
  // A store deleted while the lines were read is left out and counted, not reported from stale data.
  const kept = lines.filter((l) => ctx.repo.getStore(l.readiness.storeId) !== undefined);
  const gone = lines.filter((l) => !kept.includes(l)).map((l) => l.readiness.storeName);
  const leftOut = [...gone, ...skipped.map(() => 'a store deleted earlier')];
  const doc = batchReportDoc(name, kept, leftOut, attemptsChart(ctx, kept.map((l) => l.readiness.storeId)), ctx.version, new Date().toISOString());
  const files = await writeReport(ctx.exportsDir, reportBaseName('readiness-batch', name), renderReportHtml(doc), pdfMaker(ctx, doc), () => undefined);
  return { ...files, stores: kept.length, skipped: leftOut.length };
}
