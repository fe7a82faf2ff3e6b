import { defineConfig } from 'vitest/config';

// Tests start real services (redis-server, postgres, prometheus, chromium) on free loopback ports, so
// the timeouts are generous and parallelism is capped to this 2-core machine. They are limits for a hang,
// never budgets: with a CPU hog per core at load 46 the app's cold start took 246 s, and a test that
// starts it once or twice must still pass (timing figures are asserted as ratios, see CONTRIBUTING).
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
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 2,
    // expect.poll() without a timeout gives up after 1 s: on a loaded machine a page or a socket can
    // take longer than that to show what it will show. A hang limit here too, like the two above.
    expect: { poll: { timeout: 30_000 } },
  },
});
