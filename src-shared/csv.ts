/** RFC 4180 CSV: quote fields holding a comma, quote or line break; double inner quotes. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  // A leading =, +, - or @ makes spreadsheets run the cell as a formula: keep it text.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * Reads shop domains from pasted or loaded CSV text: any cell of any row, comma/semicolon/tab or
 * line separated, quoted or not. A header cell such as "domain" is skipped by the caller's
 * validation (it is not a valid domain and is reported as unknown only if it looks like one).
 */
export function csvCells(text: string): string[] {
  const cells: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    for (const raw of line.split(/[,;\t]/)) {
      const cell = raw.trim().replace(/^"(.*)"$/, '$1').trim();
      if (cell !== '') cells.push(cell);
    }
  }
  return cells;
}
