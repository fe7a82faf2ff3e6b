import { defineConfig } from 'vitest/config';

// Tests start real services (redis-server, postgres, prometheus, chromium) on free loopback ports, so
// the timeouts are generous and parallelism is capped to this 2-core machine.
export default defineConfig({
  test: {
    include: [
      'app/**/*.test.ts',
      'platform/**/*.test.ts',
      'alerts/**/*.test.ts',
      'dashboards/**/*.test.ts',
      'observability/**/*.test.ts',
      'stacks/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // test/images/ builds and runs the images: `npm run test:images`, its own config.
    exclude: ['**/node_modules/**', 'app/web/**', 'dist/**', 'test/images/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
