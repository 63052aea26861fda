// @ts-check
/**
 * StrykerJS, run by `npm run mutation` (scripts/mutation.mjs) once per module: PSC_MUTATE names
 * the files to mutate and PSC_MUTATION_TESTS the test files that cover them. Results are in
 * docs/testing.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const mutate = (process.env.PSC_MUTATE ?? '').split(',').filter((m) => m !== '');
const name = process.env.PSC_MUTATION_MODULE ?? 'module';

export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker/vitest.config.ts', related: false, pool: 'forks' },
  mutate,
  // Each mutant runs only the tests that reached its code in the first (instrumented) run.
  coverageAnalysis: 'perTest',
  // Module-level constants would need every test re-run per mutant; the limits they hold have boundary tests.
  ignoreStatic: true,
  // The machine has two cores shared with others.
  concurrency: Number(process.env.PSC_MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['out', 'reports', 'test-results', '.team-db', 'tmp'],
};
