#!/usr/bin/env node
/**
 * `npm test`: everything CI checks, in order, stopping at the first failing stage:
 * typecheck, lint, build, unit + integration tests, end-to-end tests (browser shell in Chromium;
 * Electron spec where a binary exists). Ends with one line: "tests: N passed, N failed, N skipped".
 *
 * PSC_REQUIRE_E2E=1 (set by CI) turns a missing Chromium into a failure instead of a skip.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const resultsDir = path.join(root, 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });

function stage(title, cmd, args) {
  process.stdout.write(`\n== ${title}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  if (r.status !== 0) {
    process.stdout.write(`\n${title} failed.\n`);
    process.exit(r.status ?? 1);
  }
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (process.env.PSC_REQUIRE_E2E === '1' && !fs.existsSync(chromium)) {
  process.stdout.write(`End-to-end tests need Chromium at ${chromium} (Debian: apt-get install chromium).\n`);
  process.exit(1);
}

process.stdout.write(`Node ${process.version} (${process.execPath})\n`);
stage('Typecheck', bin('tsc'), ['-b', 'tsconfig.json']);
stage('Lint', bin('eslint'), ['.']);
// The floors of docs/architecture.md: a wrong import fails with the rule's name.
stage('Lint: import floors', bin('depcruise'), ['src-main', 'src-renderer', 'src-shared', '--config', '.dependency-cruiser.cjs']);
stage('Build', bin('electron-vite'), ['build']);

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const project of ['unit', 'e2e']) {
  const out = path.join(resultsDir, `vitest-${project}.json`);
  fs.rmSync(out, { force: true });
  process.stdout.write(`\n== Tests: ${project === 'unit' ? 'unit and integration' : 'end-to-end'}\n`);
  const r = spawnSync(bin('vitest'), ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile=${out}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
  });
  if (fs.existsSync(out)) {
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    totals.passed += json.numPassedTests ?? 0;
    totals.failed += json.numFailedTests ?? 0;
    totals.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  }
  if (r.status !== 0) {
    totals.failed = Math.max(totals.failed, 1);
    break;
  }
}
process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(totals.failed > 0 ? 1 : 0);
