import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/** The unit suite has no Electron binary: the shell runs against a stand-in that records what it registers. */
const electronStandIn = resolve(__dirname, 'test/helpers/electronStandIn.ts');

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { electron: electronStandIn } },
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
