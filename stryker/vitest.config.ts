/**
 * The vitest configuration `npm run mutation` gives Stryker: one project holding only the test
 * files that cover the module being mutated (PSC_MUTATION_TESTS, comma-separated), so each
 * mutant runs a few files and not the whole suite. See scripts/mutation.mjs.
 */
import { defineConfig } from 'vitest/config';

const tests = (process.env.PSC_MUTATION_TESTS ?? '').split(',').filter((t) => t !== '');
if (tests.length === 0) throw new Error('PSC_MUTATION_TESTS is empty: run `npm run mutation`, which sets it per module.');

export default defineConfig({
  test: {
    include: tests,
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
