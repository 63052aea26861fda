/**
 * The report as a PDF, drawn with pdfkit from the same `ReportDoc` as the HTML page: the browser
 * shell's PDF (Electron prints the HTML page itself, see shells/electron/printToPdf.ts). Standard
 * PDF fonts only (nothing embedded, nothing fetched); they cover Western text (WinAnsi), so other
 * characters are replaced rather than drawn as garbage.
 */
import PDFDocument from 'pdfkit';
import { bucketLabel, chartBars, OUTCOME_COLORS, OUTCOMES } from './chart';
import { evidenceTimeLine, scrubKeys, STATUS_WORD, type ReportDoc } from './reportDoc';
import { prettyDetail } from './reportHtml';

const COLORS = { pass: '#2e7d32', warn: '#b85c00', fail: '#c62828', unchecked: '#455a64', na: '#616161', noted: '#455a64' } as const;
const MARGIN = 50;

/** Characters the standard fonts can draw (ASCII, Latin-1 and WinAnsi's punctuation). */
function drawable(text: string): string {
  return scrubKeys(text)
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/→/g, '->')
    .replace(/[^\t\n\x20-\x7e\xa0-\xff–—…•€]/g, '?');
}

export function renderReportPdf(doc: ReportDoc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: drawable(doc.title), Creator: 'Postscript Console' } });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    const width = pdf.page.width - 2 * MARGIN;
    const text = (s: string, options: PDFKit.Mixins.TextOptions = {}): void => {
      pdf.text(drawable(s), { width, ...options });
    };

    if (doc.notice !== null) {
      // The first line: a Sandbox rehearsal is said before anything else.
      pdf.font('Helvetica-Bold').fontSize(11).fillColor('#0d3c61');
      text(doc.notice);
      pdf.moveDown(0.5);
    }
    pdf.font('Helvetica-Bold').fontSize(18).fillColor('#1d1d1f');
    text(doc.title);
    pdf.moveDown(0.5).fontSize(10);
    for (const [k, v] of doc.facts) {
      pdf.font('Helvetica-Bold');
      text(`${k}: `, { continued: true });
      pdf.font('Helvetica');
      text(v);
    }
    pdf.moveDown(0.5).font('Helvetica-Bold').fontSize(12).fillColor(COLORS[doc.overall.status]);
    text(`${STATUS_WORD[doc.overall.status]}: ${doc.overall.text}`);
    pdf.fillColor('#1d1d1f');

    // The chart: the same bars as the HTML's SVG.
    pdf.moveDown(0.5).fontSize(13);
    text('Attempts over time');
    // Nothing sent: no empty axes (0 to 1), the caption says so.
    if (doc.chart.total > 0) {
      const chartH = 110;
      if (pdf.y + chartH + 40 > pdf.page.height - MARGIN) pdf.addPage();
      const top = pdf.y + 6;
      const left = MARGIN + 30;
      const { bars, max } = chartBars(doc.chart, width - 30, chartH);
      pdf.lineWidth(0.5).strokeColor('#999999').moveTo(left, top).lineTo(left, top + chartH).lineTo(left + width - 30, top + chartH).stroke();
      for (const b of bars) pdf.rect(left + b.x, top + b.y, b.width, b.height).fill(b.color);
      pdf.font('Helvetica').fontSize(8).fillColor('#333333');
      pdf.text(String(max), MARGIN, top, { width: 26, align: 'right' });
      pdf.text('0', MARGIN, top + chartH - 8, { width: 26, align: 'right' });
      const first = doc.chart.buckets[0];
      const last = doc.chart.buckets[doc.chart.buckets.length - 1];
      if (first !== undefined) pdf.text(bucketLabel(first, doc.chart.unit), left, top + chartH + 3, { lineBreak: false });
      if (last !== undefined && last !== first) pdf.text(bucketLabel(last, doc.chart.unit), left, top + chartH + 3, { width: width - 30, align: 'right' });
      let x = left;
      for (const o of OUTCOMES) {
        pdf.rect(x, top + chartH + 16, 8, 8).fill(OUTCOME_COLORS[o]);
        pdf.fillColor('#333333').text(o.replace('_', ' '), x + 11, top + chartH + 16, { lineBreak: false });
        x += 110;
      }
      pdf.x = MARGIN;
      pdf.y = top + chartH + 30;
    }
    pdf.fontSize(9).fillColor('#555555');
    text(doc.chartCaption);
    pdf.fillColor('#1d1d1f');

    if (doc.checks.length > 0) {
      pdf.moveDown().font('Helvetica-Bold').fontSize(13);
      text('Checks');
      for (const c of doc.checks) {
        pdf.moveDown(0.4).font('Helvetica-Bold').fontSize(11).fillColor(COLORS[c.status]);
        text(`${STATUS_WORD[c.status]}  `, { continued: true });
        pdf.fillColor('#1d1d1f');
        text(c.title);
        pdf.font('Helvetica').fontSize(10);
        text(c.evidence);
        pdf.fontSize(9).fillColor('#555555');
        text(evidenceTimeLine(c));
        pdf.fillColor('#1d1d1f');
        if (c.action !== null) {
          pdf.font('Helvetica-Bold').fontSize(10);
          text(`What to do: ${c.action}`);
        }
        for (const d of c.details) {
          pdf.font('Helvetica').fontSize(9).fillColor('#555555');
          text(d.label);
          pdf.font('Courier').fontSize(8).fillColor('#1d1d1f');
          text(prettyDetail(d.text));
        }
      }
    }

    if (doc.table !== null) {
      pdf.moveDown().font('Helvetica-Bold').fontSize(13);
      text('Stores');
      // One block per store: a wide table does not fit a portrait page legibly.
      for (const row of doc.table.rows) {
        pdf.moveDown(0.4).font('Helvetica-Bold').fontSize(10).fillColor(row.status === null ? '#1d1d1f' : COLORS[row.status]);
        text(`${row.cells[2] ?? ''}  `, { continued: true });
        pdf.fillColor('#1d1d1f');
        text(`${row.cells[0] ?? ''} (${row.cells[1] ?? ''})`);
        pdf.font('Helvetica').fontSize(9);
        text(doc.table.columns.slice(3).map((col, i) => `${col}: ${row.cells[i + 3] ?? ''}`).join(' · '));
      }
      pdf.moveDown(0.6).font('Helvetica-Bold').fontSize(10);
      const cols = doc.table.columns;
      text(doc.table.totals.map((t, i) => (t === '' ? '' : i === 0 ? t : `${cols[i] ?? ''}: ${t}`)).filter((t) => t !== '').join(' · '));
    }

    pdf.moveDown().font('Helvetica').fontSize(8).fillColor('#555555');
    text(doc.footer);
    pdf.end();
  });
}
