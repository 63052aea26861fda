#!/usr/bin/env node
/**
 * `npm run mutation [module ...]`: StrykerJS on the modules whose mistakes text a phone or lie to
 * an agent, one module at a time, each with only the test files that cover it (a whole-suite run
 * per mutant is not feasible on a small machine). Prints each module's mutation score and run
 * time and writes reports/mutation/<module>.json (Stryker's report) and summary.json.
 * Not part of `npm test` or CI: it takes minutes per module. Results: docs/testing.md.
 *
 * PSC_MUTATION_CONCURRENCY (default 2) sets how many test processes Stryker runs at once.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Module → the files mutated and the test files that cover them. */
export const MODULES = {
  ratelimit: { mutate: ['src-main/ratelimit/*.ts'], tests: ['test/unit/rateLimiter.test.ts'] },
  'outbox-retry': { mutate: ['src-main/outbox/retryPolicy.ts'], tests: ['test/unit/retryPolicy.test.ts'] },
  'outbox-recovery': { mutate: ['src-main/outbox/unrecorded.ts', 'src-main/outbox/failQueued.ts'], tests: ['test/unit/outboxRecovery.test.ts', 'test/integration/diskFull.test.ts', 'test/integration/damagedDb.test.ts', 'test/integration/crashRecovery.test.ts'] },
  'webhooks-processor': { mutate: ['src-main/webhooks/processor.ts'], tests: ['test/unit/webhookProcessor.test.ts', 'test/integration/skip.test.ts', 'test/integration/webhookSecret.test.ts', 'test/integration/listenerMove.test.ts', 'test/integration/serverFuzz.test.ts'] },
  // The SKIP decision alone (which delivery moves the test subscription's order): a quicker run than
  // the whole file, run only when named (the whole file's run includes it).
  'webhooks-skip-decision': { mutate: ['src-main/webhooks/processor.ts:154-193'], tests: ['test/unit/webhookProcessor.test.ts', 'test/integration/skip.test.ts'], partOf: 'webhooks-processor' },
  'readiness-checks': { mutate: ['src-main/readiness/checks.ts'], tests: ['test/integration/readinessEvidence.test.ts', 'test/integration/readiness.test.ts', 'test/integration/healthWatch.test.ts', 'test/integration/reportTruths.test.ts', 'test/integration/merchantReport.test.ts', 'test/integration/evidenceAgreement.test.ts', 'test/integration/listenerMove.test.ts'] },
  syncApply: { mutate: ['src-main/db/syncApply.ts'], tests: ['test/unit/syncApply.test.ts', 'test/unit/syncApplyEdges.test.ts'] },
  mask: { mutate: ['src-shared/mask.ts'], tests: ['test/unit/validation.test.ts'] },
  validation: { mutate: ['src-shared/validation/*.ts', 'src-shared/rules/keyword.ts'], tests: ['test/unit/validation.test.ts', 'test/unit/keyword.test.ts', 'test/unit/rules.test.ts', 'test/unit/validationMessage.test.ts'] },
  'storage-health': { mutate: ['src-main/storage/health.ts'], tests: ['test/unit/storageHealth.test.ts', 'test/integration/diskFull.test.ts', 'test/integration/damagedDb.test.ts', 'test/integration/indexRepair.test.ts', 'test/integration/smallTruths.test.ts'] },
};

/** Stryker's score: detected (killed or timed out) over all valid mutants, uncovered ones included. */
function score(report) {
  const counts = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 };
  const survivors = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (m.status === 'Killed') counts.killed++;
      else if (m.status === 'Timeout') counts.timeout++;
      else if (m.status === 'Survived' || m.status === 'NoCoverage') {
        counts[m.status === 'Survived' ? 'survived' : 'noCoverage']++;
        survivors.push(`${file}:${m.location.start.line} ${m.mutatorName}${m.replacement === undefined ? '' : ` → ${m.replacement.replace(/\s+/g, ' ').slice(0, 60)}`} (${m.status})`);
      } else counts.other++;
    }
  }
  const valid = counts.killed + counts.timeout + counts.survived + counts.noCoverage;
  return { ...counts, valid, score: valid === 0 ? null : Math.round(((counts.killed + counts.timeout) / valid) * 1000) / 10, survivors };
}

const wanted = process.argv.slice(2);
for (const w of wanted) if (!(w in MODULES)) {
  process.stderr.write(`Unknown module "${w}". Modules: ${Object.keys(MODULES).join(', ')}\n`);
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : Object.keys(MODULES).filter((n) => MODULES[n].partOf === undefined);
const outDir = path.join(root, 'reports', 'mutation');
fs.mkdirSync(outDir, { recursive: true });
const summaryFile = path.join(outDir, 'summary.json');
/** Read again before each write: another run (another module) may have written it meanwhile. */
const readSummary = () => (fs.existsSync(summaryFile) ? JSON.parse(fs.readFileSync(summaryFile, 'utf8')) : {});
const summary = {};
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()} ${os.release()}, Node ${process.version}`;

let failed = false;
for (const name of names) {
  const m = MODULES[name];
  process.stdout.write(`\n== Mutation testing: ${name} (${m.mutate.join(', ')}) against ${m.tests.join(', ')}\n`);
  const started = Date.now();
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'stryker'), ['run', 'stryker.config.mjs'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PSC_MUTATE: m.mutate.join(','), PSC_MUTATION_TESTS: m.tests.join(','), PSC_MUTATION_MODULE: name },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const reportFile = path.join(outDir, `${name}.json`);
  if (r.status !== 0 || !fs.existsSync(reportFile)) {
    process.stdout.write(`${name}: Stryker failed (exit ${r.status ?? r.signal}).\n`);
    failed = true;
    continue;
  }
  const s = score(JSON.parse(fs.readFileSync(reportFile, 'utf8')));
  summary[name] = { ...s, seconds, date: new Date().toISOString(), machine, concurrency: Number(process.env.PSC_MUTATION_CONCURRENCY ?? 2) };
  fs.writeFileSync(summaryFile, `${JSON.stringify({ ...readSummary(), [name]: summary[name] }, null, 2)}\n`);
  process.stdout.write(`${name}: ${s.score}% (${s.killed} killed, ${s.timeout} timed out, ${s.survived} survived, ${s.noCoverage} not covered) in ${seconds} s\n`);
}
process.stdout.write('\nmodule\tscore\tkilled\ttimeout\tsurvived\tno coverage\tseconds\n');
for (const name of names) {
  const s = summary[name];
  if (s !== undefined) process.stdout.write(`${name}\t${s.score}%\t${s.killed}\t${s.timeout}\t${s.survived}\t${s.noCoverage}\t${s.seconds}\n`);
}
process.exit(failed ? 1 : 0);
