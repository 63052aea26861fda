/**
 * The report as one self-contained HTML file: inline styles, an inline SVG chart, no script and
 * no external request (its Content-Security-Policy forbids both, so a mail client or a ticket
 * system that opens it fetches nothing). It prints to PDF as is.
 */
import { chartSvg } from './chart';
import { evidenceTimeLine, scrubKeys, STATUS_WORD, type ReportDoc } from './reportDoc';

/** Long payloads are cut in the report; the delivery log keeps them whole. */
const MAX_DETAIL = 4000;

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function prettyDetail(text: string): string {
  let out = text;
  try {
    out = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: shown as it is
  }
  return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL)}\n… (${out.length - MAX_DETAIL} more characters in the delivery log)` : out;
}

const STYLE = `
  body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1f; margin: 24px auto; max-width: 860px; padding: 0 16px; }
  h1 { font-size: 22px; margin: 0 0 12px; }
  h2 { font-size: 17px; margin: 24px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
  h3 { font-size: 15px; margin: 0 0 4px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
  dt { color: #555; } dd { margin: 0; }
  .overall { padding: 10px 12px; border-radius: 6px; margin: 12px 0; font-weight: 600; }
  .chip { display: inline-block; min-width: 42px; text-align: center; border-radius: 4px; padding: 1px 6px; margin-right: 6px; font-size: 12px; font-weight: 700; color: #fff; }
  .pass .chip, .overall.pass { background: #e8f5e9; } .pass .chip { background: #2e7d32; }
  .warn .chip, .overall.warn { background: #fff3e0; } .warn .chip { background: #b85c00; }
  .fail .chip, .overall.fail { background: #ffebee; } .fail .chip { background: #c62828; }
  .unchecked .chip, .overall.unchecked { background: #eceff1; } .unchecked .chip { background: #455a64; }
  .na .chip, .noted .chip { background: #616161; }
  .check { border: 1px solid #ddd; border-left-width: 5px; border-radius: 6px; padding: 8px 12px; margin: 8px 0; page-break-inside: avoid; }
  .check.pass { border-left-color: #2e7d32; } .check.warn { border-left-color: #b85c00; } .check.fail { border-left-color: #c62828; } .check.unchecked { border-left-color: #455a64; border-left-style: dashed; } .check.na, .check.noted { border-left-color: #9e9e9e; border-left-style: dotted; }
  .check p { margin: 2px 0; } .time { color: #555; font-size: 12px; } .action { font-weight: 600; }
  pre { background: #f6f6f6; border-radius: 4px; padding: 6px 8px; font-size: 11px; white-space: pre-wrap; word-break: break-all; margin: 4px 0; }
  table { border-collapse: collapse; width: 100%; font-size: 12px; }
  th, td { border: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
  tfoot td { font-weight: 700; background: #f6f6f6; }
  .notice { margin: 0 0 12px; padding: 8px 12px; border-radius: 6px; background: #e3f2fd; color: #0d3c61; font-weight: 600; }
  footer { margin-top: 24px; color: #555; font-size: 12px; }
  @media print { body { margin: 0; max-width: none; } }
`;

/** Nothing may be fetched or run: not a script, not a font, not an image from elsewhere. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderReportHtml(doc: ReportDoc): string {
  const facts = doc.facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
  const checks = doc.checks
    .map(
      (c) => `
<section class="check ${c.status}" id="check-${esc(c.id)}" data-check="${esc(c.id)}" data-status="${c.status}">
  <h3><span class="chip">${STATUS_WORD[c.status]}</span>${esc(c.title)}</h3>
  <p class="evidence">${esc(c.evidence)}</p>
  <p class="time">${esc(evidenceTimeLine(c))}</p>
  ${c.action === null ? '' : `<p class="action">What to do: ${esc(c.action)}</p>`}
  ${c.details.map((d) => `<p class="time">${esc(d.label)}</p><pre>${esc(prettyDetail(d.text))}</pre>`).join('')}
</section>`,
    )
    .join('');
  const table =
    doc.table === null
      ? ''
      : `<h2>Stores</h2><table><thead><tr>${doc.table.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${doc.table.rows
          .map((r) => `<tr class="${r.status ?? ''}" data-store-row>${r.cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody><tfoot><tr>${doc.table.totals.map((c) => `<td>${esc(c)}</td>`).join('')}</tr></tfoot></table>`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${doc.notice === null ? '' : `<p class="notice" data-notice>${esc(doc.notice)}</p>`}
<h1>${esc(doc.title)}</h1>
<dl>${facts}</dl>
<p class="overall ${doc.overall.status}" data-overall="${doc.overall.status}">${STATUS_WORD[doc.overall.status]}: ${esc(doc.overall.text)}</p>
<h2>Attempts over time</h2>
<figure style="margin:0">${doc.chart.total > 0 ? chartSvg(doc.chart) : ''}<figcaption class="time">${esc(doc.chartCaption)}</figcaption></figure>
${doc.checks.length > 0 ? `<h2>Checks</h2>${checks}` : ''}
${table}
<footer>${esc(doc.footer)}</footer>
</body>
</html>
`;
  return scrubKeys(html);
}
