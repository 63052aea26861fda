import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser shell and one Chromium at a time: this machine has two cores.
          fileParallelism: false,
        },
      },
      {
        test: {
          // `npm run bench`: benchmark scripts (TypeScript run by vitest); they assert no timings.
          name: 'bench',
          include: ['test/bench/**/*.bench.ts'],
          environment: 'node',
          fileParallelism: false,
        },
      },
    ],
  },
});
