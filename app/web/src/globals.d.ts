/** True outside production builds (see vite.config.ts `define`): guards test-only code. */
declare const __TEST_HOOKS__: boolean;
