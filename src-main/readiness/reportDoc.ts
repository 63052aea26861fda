/**
 * What a report says, independent of its format: the HTML page and the PDF are both drawn from
 * one `ReportDoc`, so they carry the same content.
 */
import type { CheckStatus, ReadinessCheck, StoreReadiness } from '../../src-shared/ipc/contract';
import type { ChartData } from './chart';
import { when } from './checks';

export interface ReportTable {
  columns: string[];
  rows: Array<{ cells: string[]; status: CheckStatus | null }>;
  totals: string[];
}

export interface ReportDoc {
  title: string;
  facts: Array<[string, string]>;
  overall: { status: CheckStatus; text: string };
  chart: ChartData;
  chartCaption: string;
  checks: ReadinessCheck[];
  table: ReportTable | null;
  footer: string;
}

export const STATUS_WORD: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

const OVERALL_TEXT: Record<CheckStatus, string> = {
  pass: 'Ready: every check passed.',
  warn: 'Ready with warnings: read each warning below.',
  fail: 'Not ready: at least one check failed. Each says what to do.',
};

function footer(version: string, generatedAt: string): string {
  return `Made by Postscript Console ${version} on ${when(generatedAt)}. No API key or other secret is included: keys appear only as their last four characters.`;
}

export function storeReportDoc(r: StoreReadiness, chart: ChartData, version: string): ReportDoc {
  const counts = (s: CheckStatus): number => r.checks.filter((c) => c.status === s).length;
  return {
    title: `Go-live readiness: ${r.storeName}`,
    facts: [
      ['Store', r.storeName],
      ['Shop domain', r.shopDomain],
      ['Account', r.account === 'sandbox' ? 'Sandbox (no real texts)' : 'Live Postscript'],
      ['Postscript shop', r.postscriptShopName ?? 'unknown'],
      ['API key', r.keyHint ?? 'none'],
      ['Health watch', r.health === null ? 'not checked yet' : `${r.health.status} (${when(r.health.checkedAt)})${r.health.problems.length > 0 ? `: ${r.health.problems.join(' ')}` : ''}`],
      ['Checks', `${counts('pass')} passed, ${counts('warn')} warnings, ${counts('fail')} failed`],
    ],
    overall: { status: r.overall, text: OVERALL_TEXT[r.overall] },
    chart,
    chartCaption: `Attempts to send events to Postscript per ${chart.unit} (${chart.total} in all), by outcome.`,
    checks: r.checks,
    table: null,
    footer: footer(version, r.generatedAt),
  };
}

export interface BatchLine {
  readiness: StoreReadiness;
  delivered: number;
  failed: number;
  other: number;
}

export function batchReportDoc(batchName: string, lines: BatchLine[], skipped: string[], chart: ChartData, version: string, generatedAt: string): ReportDoc {
  const by = (s: CheckStatus): number => lines.filter((l) => l.readiness.overall === s).length;
  const sum = (f: (l: BatchLine) => number): number => lines.reduce((n, l) => n + f(l), 0);
  const overall: CheckStatus = by('fail') > 0 ? 'fail' : by('warn') > 0 ? 'warn' : 'pass';
  const count = (l: BatchLine, s: CheckStatus): number => l.readiness.checks.filter((c) => c.status === s).length;
  return {
    title: `Go-live readiness: batch ${batchName}`,
    facts: [
      ['Batch', batchName],
      ['Stores', String(lines.length)],
      ['Ready', `${by('pass')} ready, ${by('warn')} with warnings, ${by('fail')} not ready`],
      ...(skipped.length > 0 ? ([['Left out', `${skipped.length} deleted while the report was made: ${skipped.join(', ')}`]] as Array<[string, string]>) : []),
    ],
    overall: { status: overall, text: `${by('pass')} of ${lines.length} stores ready.` },
    chart,
    chartCaption: `Attempts of these stores per ${chart.unit} (${chart.total} in all), by outcome.`,
    checks: [],
    table: {
      columns: ['Store', 'Shop domain', 'Readiness', 'Passed', 'Warnings', 'Failed', 'Checks not passed', 'Batch sends delivered / failed / other'],
      rows: lines.map((l) => ({
        status: l.readiness.overall,
        cells: [
          l.readiness.storeName,
          l.readiness.shopDomain,
          STATUS_WORD[l.readiness.overall],
          String(count(l, 'pass')),
          String(count(l, 'warn')),
          String(count(l, 'fail')),
          // Titles say what passing means; each one here says whether it failed or only warned.
          l.readiness.checks
            .filter((c) => c.status !== 'pass')
            .map((c) => `${c.title} (${c.status === 'fail' ? 'failed' : 'warning'})`)
            .join('; ') || '—',
          `${l.delivered} / ${l.failed} / ${l.other}`,
        ],
      })),
      totals: [
        `Totals: ${lines.length} store${lines.length === 1 ? '' : 's'}`,
        '',
        `${by('pass')} ready`,
        String(sum((l) => count(l, 'pass'))),
        String(sum((l) => count(l, 'warn'))),
        String(sum((l) => count(l, 'fail'))),
        '',
        `${sum((l) => l.delivered)} / ${sum((l) => l.failed)} / ${sum((l) => l.other)}`,
      ],
    },
    footer: footer(version, generatedAt),
  };
}

/**
 * The last guard: whatever slipped into a report, nothing that looks like a Postscript key
 * (`sk_…`, `pk_…`) leaves the app. Checks already avoid them; this makes it hold for any text.
 */
export function scrubKeys(text: string): string {
  return text.replace(/\b(?:sk|pk)_[^\s"'<>&,;)]*/gi, '[key removed]');
}
