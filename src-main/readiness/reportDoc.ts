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

export const STATUS_WORD: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unchecked: 'NOT CHECKED' };

/** `1 warning`, `2 warnings`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The headline. A store with a check never made is not "ready": it names what was not verified and
 * how it gets verified, in the merchant's terms (the report is for them).
 */
export function overallText(checks: ReadinessCheck[], overall: CheckStatus): string {
  const unchecked = checks.filter((c) => c.status === 'unchecked');
  const failed = checks.filter((c) => c.status === 'fail').length;
  const titles = unchecked.map((c) => c.title).join('; ');
  const how = 'Your onboarding agent verifies them with Postscript (re-checking the store and sending the tests that have not gone out), then makes this report again.';
  switch (overall) {
    case 'pass':
      return 'Ready: every check passed.';
    case 'warn':
      return 'Ready with warnings: read each warning below.';
    case 'fail':
      return `Not ready: ${plural(failed, 'check')} failed; each says what is needed.${unchecked.length === 0 ? '' : ` ${plural(unchecked.length, 'more check')} not verified yet: ${titles}. ${how}`}`;
    case 'unchecked':
      return `Not verified yet: ${plural(unchecked.length, 'check')} not made with Postscript yet, so this report cannot say the store is ready: ${titles}. ${how}`;
  }
}

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
      ['Checks', `${counts('pass')} passed, ${plural(counts('warn'), 'warning')}, ${counts('fail')} failed, ${counts('unchecked')} not checked yet`],
    ],
    overall: { status: r.overall, text: overallText(r.checks, r.overall) },
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
  const overall: CheckStatus = by('fail') > 0 ? 'fail' : by('unchecked') > 0 ? 'unchecked' : by('warn') > 0 ? 'warn' : 'pass';
  const count = (l: BatchLine, s: CheckStatus): number => l.readiness.checks.filter((c) => c.status === s).length;
  return {
    title: `Go-live readiness: batch ${batchName}`,
    facts: [
      ['Batch', batchName],
      ['Stores', String(lines.length)],
      ['Ready', `${by('pass')} ready, ${by('warn')} with warnings, ${by('unchecked')} not verified yet, ${by('fail')} not ready`],
      ...(skipped.length > 0 ? ([['Left out', `${skipped.length} deleted while the report was made: ${skipped.join(', ')}`]] as Array<[string, string]>) : []),
    ],
    overall: { status: overall, text: `${by('pass')} of ${lines.length} stores ready.` },
    chart,
    chartCaption: `Attempts of these stores per ${chart.unit} (${chart.total} in all), by outcome.`,
    checks: [],
    table: {
      columns: ['Store', 'Shop domain', 'Readiness', 'Passed', 'Warnings', 'Failed', 'Not checked yet', 'Checks not passed', 'Batch sends delivered / failed / other'],
      rows: lines.map((l) => ({
        status: l.readiness.overall,
        cells: [
          l.readiness.storeName,
          l.readiness.shopDomain,
          STATUS_WORD[l.readiness.overall],
          String(count(l, 'pass')),
          String(count(l, 'warn')),
          String(count(l, 'fail')),
          String(count(l, 'unchecked')),
          // Titles say what passing means; each one here says whether it failed, only warned or was not made.
          l.readiness.checks
            .filter((c) => c.status !== 'pass')
            .map((c) => `${c.title} (${c.status === 'fail' ? 'failed' : c.status === 'warn' ? 'warning' : 'not checked yet'})`)
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
        String(sum((l) => count(l, 'unchecked'))),
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
