/** The report's chart: a store's (or a batch's stores') attempts over time, stacked by outcome. */
import type { ReadinessDeps } from './deps';

export const OUTCOMES = ['delivered', 'failed', 'rate_limited', 'uncertain'] as const;
export const OUTCOME_COLORS: Record<(typeof OUTCOMES)[number], string> = {
  delivered: '#2e7d32',
  failed: '#c62828',
  rate_limited: '#ef6c00',
  uncertain: '#757575',
};

export interface ChartData {
  unit: 'hour' | 'day';
  /** Bucket starts, ISO. */
  buckets: string[];
  series: Array<{ outcome: (typeof OUTCOMES)[number]; counts: number[] }>;
  total: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Hourly buckets when the attempts span two days or less, else daily buckets over at most 90 days. */
export function attemptsChart(ctx: ReadinessDeps, storeIds: string[], now = Date.now()): ChartData {
  const first = ctx.storeHealth.firstAttemptAt(storeIds);
  const firstMs = first === null ? now : Date.parse(first);
  const hourly = now - firstMs <= 2 * DAY;
  const step = hourly ? HOUR : DAY;
  const start = Math.floor(Math.max(firstMs, now - 90 * DAY) / step) * step;
  const count = Math.floor(now / step) - Math.floor(start / step) + 1;
  const chars = hourly ? 13 : 10;
  const buckets = Array.from({ length: count }, (_, i) => new Date(start + i * step).toISOString());
  const index = new Map(buckets.map((b, i) => [b.slice(0, chars), i]));
  const series = OUTCOMES.map((outcome) => ({ outcome, counts: buckets.map(() => 0) }));
  let total = 0;
  for (const row of ctx.storeHealth.attemptsOverTime(storeIds, new Date(start).toISOString(), chars)) {
    const i = index.get(row.bucket);
    const s = series.find((x) => x.outcome === row.outcome);
    if (i === undefined || s === undefined) continue;
    s.counts[i] = (s.counts[i] ?? 0) + row.n;
    total += row.n;
  }
  return { unit: hourly ? 'hour' : 'day', buckets, series, total };
}

export function bucketLabel(iso: string, unit: ChartData['unit']): string {
  return unit === 'hour' ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/** Geometry shared by the SVG and the PDF, so both draw the same chart. */
export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
}
export function chartBars(data: ChartData, width: number, height: number): { bars: Bar[]; max: number } {
  const totals = data.buckets.map((_, i) => data.series.reduce((n, s) => n + (s.counts[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const slot = width / Math.max(1, data.buckets.length);
  const barWidth = Math.max(1, Math.min(40, slot * 0.8));
  const bars: Bar[] = [];
  data.buckets.forEach((_, i) => {
    let top = height;
    for (const s of data.series) {
      const n = s.counts[i] ?? 0;
      if (n === 0) continue;
      const h = (n / max) * height;
      top -= h;
      bars.push({ x: i * slot + (slot - barWidth) / 2, y: top, width: barWidth, height: h, color: OUTCOME_COLORS[s.outcome] });
    }
  });
  return { bars, max };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An inline SVG (no script, no external reference). */
export function chartSvg(data: ChartData): string {
  const W = 640;
  const H = 160;
  const left = 36;
  const top = 10;
  const { bars, max } = chartBars(data, W - left - 10, H);
  const first = data.buckets[0];
  const last = data.buckets[data.buckets.length - 1];
  const rects = bars.map((b) => `<rect x="${(left + b.x).toFixed(1)}" y="${(top + b.y).toFixed(1)}" width="${b.width.toFixed(1)}" height="${b.height.toFixed(1)}" fill="${b.color}"/>`).join('');
  const legend = OUTCOMES.map((o, i) => `<rect x="${left + i * 130}" y="${H + 34}" width="10" height="10" fill="${OUTCOME_COLORS[o]}"/><text x="${left + i * 130 + 14}" y="${H + 43}">${o.replace('_', ' ')}</text>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Attempts per ${data.unit}, by outcome" viewBox="0 0 ${W} ${H + 50}" width="100%" style="max-width:${W}px;font:11px sans-serif;fill:#333">`,
    `<line x1="${left}" y1="${top + H}" x2="${W - 10}" y2="${top + H}" stroke="#999"/><line x1="${left}" y1="${top}" x2="${left}" y2="${top + H}" stroke="#999"/>`,
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end">${max}</text><text x="${left - 4}" y="${top + H}" text-anchor="end">0</text>`,
    rects,
    first === undefined ? '' : `<text x="${left}" y="${top + H + 14}">${esc(bucketLabel(first, data.unit))}</text>`,
    last === undefined || last === first ? '' : `<text x="${W - 10}" y="${top + H + 14}" text-anchor="end">${esc(bucketLabel(last, data.unit))}</text>`,
    legend,
    '</svg>',
  ].join('');
}
