/**
 * What the renderer benchmark measures inside the page: long tasks (PerformanceObserver
 * 'longtask'), the gaps between animation frames, screen switches (click → the new screen painted),
 * store creation through the app's own API, and the page's memory (CDP).
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';

/** Installed before the app's scripts: records every long task and, while recording, every frame gap. */
export const INSTRUMENT = `
(() => {
  const b = (window.__bench = { longTasks: [], gaps: [], recording: false });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (b.recording) b.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  } catch {}
  let last = 0;
  const tick = (t) => {
    if (b.recording && last > 0) b.gaps.push(t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
`;

export interface Recording {
  longTasks: number[];
  gaps: number[];
}

export async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const b = (window as unknown as { __bench: { longTasks: number[]; gaps: number[]; recording: boolean } }).__bench;
    b.longTasks = [];
    b.gaps = [];
    b.recording = true;
  });
}

export async function stopRecording(page: Page): Promise<Recording> {
  return page.evaluate(() => {
    const b = (window as unknown as { __bench: { longTasks: number[]; gaps: number[]; recording: boolean } }).__bench;
    b.recording = false;
    return { longTasks: [...b.longTasks], gaps: [...b.gaps] };
  });
}

const SCREENS: Record<string, string> = {
  Stores: '.list-pane',
  Batches: '[data-testid="new-batch"]',
  'Delivery log': '[data-testid="log-search"]',
};

/** Clicks a main-navigation button and times until the screen it opens has been painted. */
export async function switchScreen(page: Page, label: keyof typeof SCREENS & string): Promise<number> {
  return page.evaluate(
    async ({ label, marker }) => {
      const nav = document.querySelector('nav[aria-label="Main"]')!;
      const button = Array.from(nav.querySelectorAll('button')).find((b) => b.textContent === label)!;
      const t0 = performance.now();
      button.click();
      const frame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));
      while (document.querySelector(marker) === null) await frame();
      // The frame after the screen is in the DOM is the one that shows it.
      await frame();
      return performance.now() - t0;
    },
    { label, marker: SCREENS[label]! },
  );
}

/**
 * Creates stores back to back through the app's API from the page, while the page reacts to each
 * announcement: what the page refetches for each creation slows the next one down.
 */
export async function createStores(page: Page, count: number, prefix: string): Promise<number[]> {
  return page.evaluate(
    async ({ count, prefix }) => {
      const api = (window as unknown as { postscriptConsole: { stores: { create(i: unknown): Promise<{ ok: boolean; error?: { message: string } }> } } }).postscriptConsole;
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        const r = await api.stores.create({ name: `${prefix} ${i}`, shopDomain: `${prefix.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${i}`, account: 'sandbox', credential: { kind: 'sandbox_new_key' } });
        if (!r.ok) throw new Error(r.error?.message ?? 'create failed');
        times.push(performance.now() - t0);
      }
      return times;
    },
    { count, prefix },
  );
}

/** The page's JavaScript heap after a garbage collection, and its DOM size (Chromium DevTools protocol). */
export async function pageMemory(page: Page): Promise<{ heapMb: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const m = new Map(metrics.map((x) => [x.name, x.value]));
  return { heapMb: (m.get('JSHeapUsedSize') ?? 0) / 2 ** 20, nodes: m.get('Nodes') ?? 0 };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const median = (values: number[]): number => percentile(values, 50);

/**
 * Resident memory of the largest Chromium renderer process started under `ancestorPid` (Linux
 * /proc), in MB: the page's whole process, not only its JS heap. With one page open, that is the
 * page's renderer. Null where there is no /proc.
 */
export function rendererRssMb(ancestorPid: number): number | null {
  if (!fs.existsSync('/proc')) return null;
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === ancestorPid) return true;
    return false;
  };
  let largest: number | null = null;
  for (const pid of parentOf.keys()) {
    if (!descends(pid)) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      largest = Math.max(largest ?? 0, kb / 1024);
    } catch {
      // Gone already.
    }
  }
  return largest;
}
