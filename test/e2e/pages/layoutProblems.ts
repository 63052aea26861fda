/**
 * What makes a screen not fit, found in the page itself: the page or a table scrolling sideways,
 * a table's header cells overlapping (or their words running past their cell), a visible
 * control's own text clipped, cut text without a title to hover, a checkbox off its label's line,
 * and a "When" cell cut. Each problem is named so a failure says where.
 */
import type { Page } from 'playwright-core';

export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const name = (el: Element): string => {
      const id = el.getAttribute('data-testid');
      const text = (el.textContent ?? '').trim().slice(0, 40);
      return `${el.tagName.toLowerCase()}${id !== null ? `[${id}]` : ''}${el.className !== '' && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} “${text}”`;
    };
    const visible = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
    };
    const textWidth = (el: Element): number => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect().width;
    };

    // 1. Sideways scrolling: the page, and anything that scrolls or hides its overflow around a table.
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('*'))) {
      const ox = getComputedStyle(el).overflowX;
      if ((ox === 'auto' || ox === 'scroll') && el.scrollWidth > el.clientWidth + 1 && visible(el)) {
        out.push(`scrolls sideways: ${name(el)} ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    for (const t of Array.from(document.querySelectorAll<HTMLElement>('table, .vt-head'))) {
      const parent = t.parentElement;
      if (parent !== null && visible(t) && t.getBoundingClientRect().right > parent.getBoundingClientRect().right + 1) out.push(`table wider than its box: ${name(t)}`);
    }

    // 1b. A virtualized table's header cells start where the cells of its rows start.
    for (const head of Array.from(document.querySelectorAll<HTMLElement>('.vt-head'))) {
      const row = head.parentElement?.querySelector<HTMLElement>('.vt-row[role="row"]');
      if (row === null || row === undefined || !visible(head)) continue;
      const heads = Array.from(head.children).map((c) => c.getBoundingClientRect().left);
      const cells = Array.from(row.children).map((c) => c.getBoundingClientRect().left);
      heads.forEach((left, i) => {
        if (cells[i] !== undefined && Math.abs(left - cells[i]) > 2) out.push(`column header not over its cells: ${name(head)} column ${i + 1} at ${Math.round(left)} vs ${Math.round(cells[i])}`);
      });
    }

    // 2. Header cells: no two overlap, and each one's words fit in it.
    const headers = [
      ...Array.from(document.querySelectorAll('table thead tr')).map((tr) => Array.from(tr.children)),
      ...Array.from(document.querySelectorAll('.vt-head')).map((h) => Array.from(h.children)),
    ];
    for (const cells of headers) {
      // A cell squeezed to no width is the worst case of overlap: only its height says it is shown.
      if (!cells.some(visible)) continue;
      const shown = cells.filter((c) => getComputedStyle(c).display !== 'none' && c.getBoundingClientRect().height > 0);
      shown.forEach((cell, i) => {
        const r = cell.getBoundingClientRect();
        const next = shown[i + 1];
        if (next !== undefined && r.right > next.getBoundingClientRect().left + 1) out.push(`header cells overlap: ${name(cell)} / ${name(next)}`);
        const cs = getComputedStyle(cell);
        const room = r.width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        if (textWidth(cell) > room + 1) out.push(`header text runs past its cell: ${name(cell)}`);
      });
    }

    // 3. Controls: a button's (or file button's) words, a select's chosen option, all shown.
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('button, label.file-button, [role="tab"]'))) {
      if (!visible(el)) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) out.push(`control text clipped: ${name(el)} ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
    }
    const canvas = document.createElement('canvas').getContext('2d')!;
    for (const el of Array.from(document.querySelectorAll<HTMLSelectElement>('select'))) {
      if (!visible(el)) continue;
      const cs = getComputedStyle(el);
      canvas.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const text = el.selectedOptions[0]?.text ?? '';
      // About 20 px of a select is its arrow.
      const needed = canvas.measureText(text).width + parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight) + 20;
      if (needed > el.clientWidth + 1) out.push(`select text clipped: ${name(el)} needs ${Math.ceil(needed)} in ${el.clientWidth}`);
    }

    // 4. Text cut with an ellipsis shows its full value on hover.
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (getComputedStyle(el).textOverflow !== 'ellipsis' || el.scrollWidth <= el.clientWidth + 1 || !visible(el)) continue;
      // A title on it, around it, or on the part inside it that is cut.
      if (el.closest('[title]') === null && el.querySelector('[title]') === null) out.push(`cut without its full value on hover: ${name(el)}`);
    }

    // 5. A checkbox or radio sits on its label's line: its middle within 1.5 px of the words' middle.
    for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('label > input[type="checkbox"], label > input[type="radio"]'))) {
      const label = input.parentElement!;
      if (!visible(input) || getComputedStyle(input).opacity === '0') continue;
      const words = Array.from(label.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (words.length === 0) continue;
      const range = document.createRange();
      range.selectNodeContents(words[0]!);
      const line = range.getClientRects()[0];
      if (line === undefined) continue;
      const box = input.getBoundingClientRect();
      const off = box.top + box.height / 2 - (line.top + line.height / 2);
      if (Math.abs(off) > 1.5) out.push(`checkbox ${off < 0 ? 'higher' : 'lower'} than its label by ${Math.abs(Math.round(off))} px: ${name(label)}`);
    }

    // 6. The column that matters: a time is never cut.
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-col="when"]'))) {
      if (visible(el) && el.scrollWidth > el.clientWidth + 1) out.push(`time cut: ${name(el)}`);
    }
    return out;
  });
}
