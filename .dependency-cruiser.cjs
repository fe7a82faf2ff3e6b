/**
 * Import rules, checked by `npm run lint`: what may import what. The layer rules are generated from the one
 * layer table, scripts/layers.cjs (docs/architecture.md shows it); a violation names the rule and both files.
 * Cycles between folders, which dependency-cruiser does not see, are scripts/folder-cycles.ts's.
 */
const { layerRules } = require('./scripts/layers.cjs');

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Import cycles make load order matter and modules impossible to read alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules(),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not followed, but stays visible: a data-only layer may import no npm package.
    exclude: { path: '^(deploy|app/web/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
