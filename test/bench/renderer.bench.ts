/**
 * `npm run bench` (renderer): the page an agent has open all day, in Chromium through Playwright,
 * with 10, 100, 1,000 and 5,000 stores and a send-test batch running, side by side with the app as
 * it was before the stores list went row by row (built from a git worktree of that commit).
 *
 * Per size and version: stores created back to back from the page (ms each), then during a batch
 * (Sandbox answering in +200 ms): long tasks and frame gaps measured in the page, screen switches
 * (click → painted), and the page's JS heap after GC. Prints a table and writes
 * test-results/bench-renderer.json. Asserts only that the batch ran.
 *
 * Knobs: BENCH_RENDERER_STORES (10,100,1000,5000), BENCH_RENDERER_BASELINE (a commit; default:
 * the parent of the "Stores list by row" commit), BENCH_RENDERER_SECONDS (8, recording time).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { SKIO_EVENTS } from '../../src-shared/events/catalog';
import { chromiumAvailable, launchApp, launchBrowser } from '../e2e/launch';
import { startCore, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/tmp';
import { createStores, INSTRUMENT, median, pageMemory, percentile, rendererRssMb, startRecording, stopRecording, switchScreen } from './rendererPage';

const ROOT = path.resolve(__dirname, '../..');
const SIZES = (process.env.BENCH_RENDERER_STORES ?? '10,100,1000,5000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_RENDERER_SECONDS ?? 8);
const CREATES = 10;
const tmp = makeTempDir('psc-bench-renderer-');

interface Row {
  version: string;
  stores: number;
  createMs: number;
  sends: number;
  longTasks: number;
  longestTask: number;
  gapP50: number;
  gapP99: number;
  gapMax: number;
  switchMedian: number;
  switchMax: number;
  /** Each switch in order: Batches, Delivery log, Stores, Batches, Delivery log, Stores. */
  switches: number[];
  heapMb: number;
  rssMb: number | null;
  domNodes: number;
}
const rows: Row[] = [];

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
}

/** The commit the comparison runs against: before the stores list went row by row. */
function baselineCommit(): string {
  if (process.env.BENCH_RENDERER_BASELINE !== undefined) return git('rev-parse', process.env.BENCH_RENDERER_BASELINE);
  const change = git('log', '--format=%H', '-1', '--grep=^Stores list by row');
  if (change === '') throw new Error('Set BENCH_RENDERER_BASELINE to the commit to compare against.');
  return git('rev-parse', `${change}^`);
}

/** A built checkout of the baseline in a git worktree, sharing this checkout's node_modules. */
function buildBaseline(commit: string): { root: string; remove: () => void } {
  const dir = path.join(os.tmpdir(), `psc-bench-baseline-${commit.slice(0, 10)}`);
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    git('worktree', 'add', '--detach', dir, commit);
  }
  if (!fs.existsSync(path.join(dir, 'node_modules'))) fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: dir, stdio: 'ignore' });
  return {
    root: dir,
    remove: () => {
      try {
        git('worktree', 'remove', '--force', dir);
      } catch {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Seeds data directories with 10, 100, … Sandbox stores (every event on, Test Event User able to receive). */
async function seed(sizes: number[]): Promise<Map<number, string>> {
  const work = path.join(tmp.dir, 'seed');
  const out = new Map<number, string>();
  const triggers = SKIO_EVENTS.map((e) => ({ eventKey: e.key, postscriptType: e.postscriptType, enabled: true, skioSmsAlso: false }));
  let made = 0;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const c: TestCore = await startCore({ dir: work });
    for (; made < size; made++) {
      const n = String(made).padStart(5, '0');
      await c.ok('stores', 'create', { name: `Store ${n}`, shopDomain: `store-${n}`, account: 'sandbox', credential: { kind: 'sandbox_new_key' }, testPhone: '+1 555 555 0100', triggers });
    }
    await c.close();
    const copy = path.join(tmp.dir, `seed-${size}`);
    fs.cpSync(work, copy, { recursive: true });
    out.set(size, copy);
  }
  return out;
}

/** The newest migration a checkout knows (one file per migration, or the older single file). */
function schemaOf(root: string): number {
  const dir = path.join(root, 'src-main/db/migrations');
  if (fs.existsSync(dir)) return Math.max(...fs.readdirSync(dir).map((f) => Number(/^(\d+)-/.exec(f)?.[1] ?? 0)));
  const text = fs.readFileSync(path.join(root, 'src-main/db/migrations.ts'), 'utf8');
  return Math.max(...[...text.matchAll(/version: (\d+),/g)].map((m) => Number(m[1])));
}

/**
 * Lets an older checkout open data seeded by this one. The migrations since the baseline only add
 * tables, which the older code never touches, so the data directory is marked with the older
 * schema number; were a later migration to change an existing table, the baseline would say so.
 */
function markSchema(dataDir: string, version: number): void {
  const db = new Database(path.join(dataDir, 'console.sqlite3'));
  try {
    if ((db.pragma('user_version', { simple: true }) as number) > version) db.pragma(`user_version = ${version}`);
  } finally {
    db.close();
  }
}

async function measure(browser: Browser, version: string, root: string | undefined, seedDir: string, stores: number): Promise<Row> {
  const dataDir = path.join(tmp.dir, `run-${version}-${stores}`);
  fs.cpSync(seedDir, dataDir, { recursive: true });
  if (root !== undefined) markSchema(dataDir, schemaOf(root));
  const app = await launchApp({ dataDir, ...(root === undefined ? {} : { root }) });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(INSTRUMENT);
  const page: Page = await context.newPage();
  try {
    await page.goto(app.url);
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('store-item').first().click();
    await page.getByTestId('store-detail').waitFor();

    const createTimes = await createStores(page, CREATES, `Bench ${version}`);

    // A batch of about 2,000 sends or more (at least one event per store), Postscript answering in +200 ms.
    const perStore = Math.min(SKIO_EVENTS.length, Math.max(1, Math.ceil(2000 / stores)));
    const sends = await page.evaluate(async (eventKeys) => {
      const api = (window as unknown as { postscriptConsole: Record<string, Record<string, (i: unknown) => Promise<{ ok: boolean; value?: { batch?: { total: number } } }>>> }).postscriptConsole;
      await api.sandbox!.setFaults!({ delayMs: 200 });
      const r = await api.batches!.create!({ name: 'Bench batch', stores: { kind: 'all' }, events: { kind: 'some', eventKeys } });
      if (!r.ok) throw new Error(JSON.stringify(r));
      return r.value?.batch?.total ?? 0;
    }, SKIO_EVENTS.slice(0, perStore).map((e) => e.key));

    await startRecording(page);
    await page.waitForTimeout(SECONDS * 1000);
    const switches: number[] = [];
    for (const screen of ['Batches', 'Delivery log', 'Stores', 'Batches', 'Delivery log', 'Stores'] as const) {
      switches.push(await switchScreen(page, screen));
      await page.waitForTimeout(500);
    }
    const rec = await stopRecording(page);
    const mem = await pageMemory(page);
    const rssMb = rendererRssMb(process.pid);
    return {
      version,
      stores,
      createMs: median(createTimes),
      sends,
      longTasks: rec.longTasks.length,
      longestTask: Math.max(0, ...rec.longTasks),
      gapP50: percentile(rec.gaps, 50),
      gapP99: percentile(rec.gaps, 99),
      gapMax: Math.max(0, ...rec.gaps),
      switchMedian: median(switches),
      switchMax: Math.max(...switches),
      switches: switches.map((x) => Math.round(x)),
      heapMb: mem.heapMb,
      rssMb,
      domNodes: mem.nodes,
    };
  } finally {
    await context.close();
    await app.stop();
  }
}

describe.skipIf(!chromiumAvailable())('renderer with thousands of stores', () => {
  afterAll(() => tmp.cleanup());

  it('measures today against the baseline at each size, during a running batch', { timeout: 900_000 }, async () => {
    const commit = baselineCommit();
    const baseline = buildBaseline(commit);
    // This checkout's renderer as it is now, not whatever an earlier build left in out/.
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'ignore' });
    const seeds = await seed(SIZES);
    const browser = await launchBrowser();
    try {
      for (const size of SIZES) {
        rows.push(await measure(browser, `baseline ${commit.slice(0, 7)}`, baseline.root, seeds.get(size)!, size));
        rows.push(await measure(browser, 'this branch', undefined, seeds.get(size)!, size));
      }
    } finally {
      await browser.close();
      baseline.remove();
    }
    const f = (x: number, d = 0): string => x.toFixed(d);
    const table = [
      '| version | stores | create (ms, median) | sends in batch | long tasks | longest (ms) | frame gap p50 / p99 / max (ms) | screen switch median / max (ms) | JS heap after GC (MB) | renderer RSS (MB) | DOM nodes |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.version} | ${r.stores} | ${f(r.createMs)} | ${r.sends} | ${r.longTasks} | ${f(r.longestTask)} | ${f(r.gapP50)} / ${f(r.gapP99)} / ${f(r.gapMax)} | ${f(r.switchMedian)} / ${f(r.switchMax)} | ${f(r.heapMb)} | ${r.rssMb === null ? '—' : f(r.rssMb)} | ${r.domNodes} |`),
    ].join('\n');
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
    console.log(`\n${machine}\n${table}\n`);
    fs.mkdirSync(path.resolve(ROOT, 'test-results'), { recursive: true });
    fs.writeFileSync(path.resolve(ROOT, 'test-results/bench-renderer.json'), JSON.stringify({ machine, date: new Date().toISOString(), baseline: commit, rows }, null, 2));
    for (const r of rows) expect(r.sends).toBeGreaterThan(0);
  });
});
