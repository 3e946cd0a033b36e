// Three projects, from fast to real: unit (no engine), docker (the real engine, including
// `verify` for every lab), e2e (real Chromium against a real server). `npm test` runs all.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One engine and one browser: files run one after another so timings and leak counts stay honest.
    fileParallelism: false,
    // Servers under test start without a warm pool, so their containers are the test's own;
    // test/docker/pool.test.ts turns it on where the pool is what is tested.
    env: { NSLAB_POOL: 'off' },
    setupFiles: ['test/support/fresh-progress.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'docker',
          include: ['test/docker/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // A real engine and shell on a shared machine: a poll gets 10 s, not vitest's 1 s
          // (a poll that times a promise, "within a second", still says so itself).
          expect: { poll: { timeout: 10_000, interval: 100 } },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 10_000, interval: 100 } },
        },
      },
    ],
  },
});
