/**
 * Import rules, checked by `npm run lint`: what may import what (docs/architecture.md draws the layers).
 * A violation names the rule and both files.
 */
const core = '^app/(ports[.]ts$|(answers|audit|catalog|conversations|manuals|prediction|privacy|resilience|sessions)/)';
const adapters = '^app/(bus|cache|jobs|redis|storage)/';
/** Tests may reach across layers to set up what they check. */
const tests = '[.]test[.]tsx?$';
const composition = '^app/(main|worker|runtime|infrastructure|services)[.]ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Import cycles make load order matter and modules impossible to read alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-to-gateway',
      comment:
        'The core owns its ports (app/ports.ts); the gateway is an edge that depends on the core, never the reverse.',
      severity: 'error',
      from: { path: `${core}|${adapters}`, pathNot: tests },
      to: { path: '^app/gateway/' },
    },
    {
      name: 'core-not-to-composition',
      comment: 'The core is wired by the composition root; it never reaches back into it.',
      severity: 'error',
      from: { path: `${core}|${adapters}`, pathNot: tests },
      to: { path: composition },
    },
    {
      name: 'adapters-not-to-core',
      comment: 'Adapters (storage, cache, bus, jobs, redis) implement ports for the core and know nothing of it.',
      severity: 'error',
      from: { path: adapters, pathNot: tests },
      to: { path: core },
    },
    {
      name: 'app-not-to-dev-code',
      comment: 'What ships in the image may not load benchmarks, tests or scripts.',
      severity: 'error',
      from: { path: '^app/', pathNot: tests },
      to: { path: '^(bench|test|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|deploy|app/web/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
