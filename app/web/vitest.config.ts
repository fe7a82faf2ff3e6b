import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The web UI's pure logic (reducer, backoff, protocol client against a real `ws` server) runs in node.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  define: { __TEST_HOOKS__: 'true' },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
