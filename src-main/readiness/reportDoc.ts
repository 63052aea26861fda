/**
 * What a report says, independent of its format: the HTML page and the PDF are both drawn from
 * one `ReportDoc`, so they carry the same content.
 */
import type { CheckStatus, ReadinessCheck, StoreReadiness } from '../../src-shared/ipc/contract';
import { findSkioEvent } from '../../src-shared/events/catalog';
import type { ChartData } from './chart';
import { when } from './checks';
import { detailsForMerchant, forMerchant, merchantAction } from './merchantWords';

export interface ReportTable {
  columns: string[];
  rows: Array<{ cells: string[]; status: CheckStatus | null }>;
  totals: string[];
}

export interface ReportDoc {
  /** Said before anything else (the report's first line): a Sandbox rehearsal says so here. */
  notice: string | null;
  title: string;
  facts: Array<[string, string]>;
  overall: { status: CheckStatus; text: string };
  chart: ChartData;
  chartCaption: string;
  checks: ReadinessCheck[];
  table: ReportTable | null;
  footer: string;
}

export const STATUS_WORD: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unchecked: 'NOT CHECKED', na: 'NOT APPLICABLE', noted: 'AGENT’S ANSWER' };

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
    default:
      // `na` and `noted` never make an overall (overallOf skips them); said plainly if they ever do.
      return 'Ready: every check that applies passed.';
  }
}

/** The line under a check's evidence: when it was obtained, or why there is no time. */
export function evidenceTimeLine(c: ReadinessCheck): string {
  if (c.status === 'na') return 'Does not apply to this store.';
  if (c.status === 'noted') return 'Source: the onboarding agent’s answer in the app, not checked with Postscript.';
  return c.at === null ? 'No evidence obtained yet.' : `Evidence from: ${when(c.at)}`;
}

function footer(version: string, generatedAt: string): string {
  return `Made by Postscript Console ${version} on ${when(generatedAt)}. No API key or other secret is included: keys appear only as their last four characters.`;
}

/** How many attempts the chart counts, and why there can be more than events. */
export interface AttemptsSummary {
  perEvent: Array<{ eventKey: string; n: number }>;
  /** Follow-ups the app sent by itself after a SKIP reply moved the next billing date. */
  skipFollowUps: number;
}

export const SANDBOX_NOTICE =
  'Sandbox rehearsal: this store uses Postscript Console’s built-in Sandbox, not a real Postscript account. Nothing here reached Postscript or texted anyone; go-live needs the same checks with the merchant’s own Postscript account.';

export const NO_ATTEMPTS = 'No attempts yet: no event has been sent to Postscript for this store.';

function attemptsCaption(chart: ChartData, attempts: AttemptsSummary): string {
  if (chart.total === 0) return NO_ATTEMPTS;
  const head = `Attempts to send events to Postscript per ${chart.unit}, by outcome: ${plural(chart.total, 'attempt')} in all for ${plural(attempts.perEvent.length, 'event')}.`;
  const repeated = attempts.perEvent.filter((e) => e.n > 1).map((e) => `${findSkioEvent(e.eventKey)?.name ?? e.eventKey} (${e.n})`);
  if (repeated.length === 0) return head;
  const extra = attempts.perEvent.reduce((n, e) => n + e.n - 1, 0);
  const others = extra - attempts.skipFollowUps;
  const byApp = attempts.skipFollowUps > 0 ? ` ${plural(attempts.skipFollowUps, 'of them was', 'of them were')} sent by the app itself after a SKIP reply moved the next billing date, as Skio does.` : '';
  const resent = others > 0 ? ` ${attempts.skipFollowUps > 0 ? 'The other ' : ''}${plural(others, 'extra attempt was a test', 'extra attempts were tests')} sent again or retried.` : '';
  const why = byApp + resent;
  return `${head} Sent more than once: ${repeated.slice(0, 5).join(', ')}${repeated.length > 5 ? ` and ${repeated.length - 5} more` : ''}.${why}`;
}

export function storeReportDoc(r: StoreReadiness, chart: ChartData, attempts: AttemptsSummary, version: string): ReportDoc {
  const counts = (s: CheckStatus): number => r.checks.filter((c) => c.status === s).length;
  const sandbox = r.account === 'sandbox';
  const overall = overallText(r.checks, r.overall);
  return {
    notice: sandbox ? SANDBOX_NOTICE : null,
    title: `Go-live readiness: ${r.storeName}`,
    facts: [
      ['Store', r.storeName],
      ['Shop domain', r.shopDomain],
      ['Account', r.account === 'sandbox' ? 'Sandbox (no real texts)' : 'Live Postscript'],
      ['Postscript shop', r.postscriptShopName ?? 'unknown'],
      ['API key', r.keyHint ?? 'none'],
      ['Health', r.health === null ? 'not checked yet' : `${r.health.status}, from what Postscript last said (${when(r.health.checkedAt)})${r.health.problems.length > 0 ? `: ${r.health.problems.join(' ')}` : ''}`],
      ['Checks', `${counts('pass')} passed, ${plural(counts('warn'), 'warning')}, ${counts('fail')} failed, ${counts('unchecked')} not checked yet`],
    ],
    // A rehearsal that passed is not a go-live: said in the headline too.
    overall: { status: r.overall, text: sandbox && r.overall !== 'fail' && r.overall !== 'unchecked' ? `Sandbox rehearsal: ${overall}` : overall },
    chart,
    chartCaption: attemptsCaption(chart, attempts),
    // The merchant's words: what is needed, without the agent's buttons, address or ids.
    checks: r.checks.map((c) => ({ ...c, evidence: forMerchant(c.evidence), action: merchantAction(c, r.account), details: detailsForMerchant(c.details) })),
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

/**
 * The batch's readiness in words, for its headline and its counts alike: a store ready with
 * warnings is ready (as its own panel says), so the two never disagree.
 */
export function batchReadyWords(stores: number, by: (s: CheckStatus) => number): string {
  const ready = by('pass') + by('warn');
  return `${ready} of ${plural(stores, 'store')} ready (${by('pass')} with every check passed, ${by('warn')} with warnings); ${by('fail')} not ready; ${by('unchecked')} not verified yet`;
}

export function batchReportDoc(batchName: string, lines: BatchLine[], skipped: string[], chart: ChartData, version: string, generatedAt: string): ReportDoc {
  const by = (s: CheckStatus): number => lines.filter((l) => l.readiness.overall === s).length;
  const sum = (f: (l: BatchLine) => number): number => lines.reduce((n, l) => n + f(l), 0);
  const overall: CheckStatus = by('fail') > 0 ? 'fail' : by('unchecked') > 0 ? 'unchecked' : by('warn') > 0 ? 'warn' : 'pass';
  const count = (l: BatchLine, s: CheckStatus): number => l.readiness.checks.filter((c) => c.status === s).length;
  const sandboxStores = lines.filter((l) => l.readiness.account === 'sandbox').length;
  return {
    notice:
      sandboxStores === 0
        ? null
        : sandboxStores === lines.length
          ? SANDBOX_NOTICE.replace('this store uses', 'these stores use')
          : `Sandbox rehearsal for ${sandboxStores} of ${plural(lines.length, 'store')}: they use Postscript Console’s built-in Sandbox, not a real Postscript account, and nothing of theirs reached Postscript or texted anyone.`,
    title: `Go-live readiness: batch ${batchName}`,
    facts: [
      ['Batch', batchName],
      ['Stores', String(lines.length)],
      ['Ready', batchReadyWords(lines.length, by)],
      ...(skipped.length > 0 ? ([['Left out', `${skipped.length} deleted while the report was made: ${skipped.join(', ')}`]] as Array<[string, string]>) : []),
    ],
    overall: { status: overall, text: `${batchReadyWords(lines.length, by)}.` },
    chart,
    chartCaption: chart.total === 0 ? 'No attempts yet: no event of these stores has been sent to Postscript.' : `Attempts of these stores per ${chart.unit}, by outcome: ${plural(chart.total, 'attempt')} in all.`,
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
            .filter((c) => c.status === 'fail' || c.status === 'warn' || c.status === 'unchecked')
            .map((c) => `${c.title} (${c.status === 'fail' ? 'failed' : c.status === 'warn' ? 'warning' : 'not checked yet'})`)
            .join('; ') || '—',
          `${l.delivered} / ${l.failed} / ${l.other}`,
        ],
      })),
      totals: [
        `Totals: ${lines.length} store${lines.length === 1 ? '' : 's'}`,
        '',
        `${by('pass') + by('warn')} ready`,
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
