/**
 * Import rules, checked by `npm run lint`: what may import what (see each folder's README and
 * docs/architecture.md). A violation names the rule and both files.
 */
const core =
  '^app/(answers|audit|bus|cache|catalog|conversations|jobs|manuals|prediction|privacy|redis|resilience|sessions|storage)/';

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
      from: { path: core },
      to: { path: '^app/gateway/' },
    },
    {
      name: 'app-not-to-dev-code',
      comment: 'What ships in the image may not load benchmarks, tests or scripts.',
      severity: 'error',
      from: { path: '^app/', pathNot: '\\.test\\.tsx?$' },
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
