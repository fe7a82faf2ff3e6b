import { defineConfig } from 'vitest/config';

// The image drill (npm run test:images): builds and runs containers, so one file at a time, and hooks
// that allow for first-run base images and cold builds on a shared 2-core machine.
export default defineConfig({
  test: {
    include: ['test/images/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 3_600_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
