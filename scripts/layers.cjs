// @ts-check
/**
 * The layers of the code, in one list: which folder or file is in which layer and what each may import.
 * Everything else is generated from it: the import rules in .dependency-cruiser.cjs (one rule per layer),
 * and, by `npm run architecture`, the layers table and the diagram in docs/architecture.md. CommonJS so
 * that the dependency-cruiser configuration can `require` it; TypeScript reads its types from the JSDoc.
 *
 * A member ending in `/` is a folder, anything else one file. Each layer of app/ but the entry points is
 * one folder (`app/core/`): a new module goes into its layer's folder; a new top-level folder or file of
 * app/ must be placed here, and the diagram generator refuses one that is not.
 */

/**
 * @typedef {object} Layer
 * @property {string} name
 * @property {string[]} members repository paths: `app/edges/gateway/` (a folder), `app/core/ports.ts` (a file)
 * @property {string} where what the members are, for the layers table
 * @property {string} mayImport what it may import, for the layers table
 * @property {string[] | '*'} imports the layers (by name) and paths it may import besides its own members
 * @property {string[]} [typeOnly] paths it may import with `import type` only (no code reaches it)
 * @property {boolean} [dataOnly] nothing outside `imports` either: no Node built-in, no npm package
 * @property {string} why the rule's reason, printed with a violation
 */

/** @type {Layer[]} */
const layers = [
  {
    name: 'entry points',
    members: ['app/main.ts', 'app/worker.ts', 'app/migrate.ts'],
    where: '`app/main.ts` (gateway), `app/worker.ts`, `app/migrate.ts` (the migration release step)',
    mayImport: 'the composition and anything below it',
    imports: ['composition', 'edges', 'core', 'adapters', 'shared'],
    why: 'An entry point starts a program; nothing may depend on one.',
  },
  {
    name: 'composition',
    members: ['app/composition/'],
    where:
      '`app/composition/infrastructure.ts` (the adapters), `app/composition/services.ts` (the services and every background job), `app/composition/runtime.ts` (the gateway)',
    mayImport: 'everything in `app/` below it',
    imports: ['edges', 'core', 'adapters', 'shared'],
    why: 'The core is wired by the composition root; it never reaches back into it.',
  },
  {
    name: 'edges',
    members: ['app/edges/'],
    where: '`app/edges/gateway/` (Fastify + ws: protocol, probes, limits, admin API, static UI)',
    mayImport: 'core, adapters, shared',
    imports: ['core', 'adapters', 'shared'],
    why: 'The gateway is an edge that depends on the core, never the reverse.',
  },
  {
    name: 'core',
    members: ['app/core/'],
    where:
      '`app/core/ports.ts` (the ports and the errors they share), `app/core/sessions/`, `app/core/prediction/`, `app/core/catalog/`, `app/core/manuals/`, `app/core/answers/`, `app/core/conversations/`, `app/core/audit/`, `app/core/privacy/`, `app/core/resilience/`',
    mayImport: 'other core modules, adapters, shared; never `gateway/` or the composition',
    imports: ['adapters', 'shared'],
    why: 'The core owns its ports (app/core/ports.ts); the gateway and the composition root depend on it, never the reverse.',
  },
  {
    name: 'adapters',
    members: ['app/adapters/'],
    where:
      '`app/adapters/storage/`, `app/adapters/cache/`, `app/adapters/bus/`, `app/adapters/jobs/`, `app/adapters/redis/` (each port with its in-process and its real implementation)',
    mayImport: 'other adapters, shared; never the core or the gateway',
    imports: ['shared'],
    why: 'Adapters implement ports for the core and know nothing of it.',
  },
  {
    name: 'shared',
    members: ['app/shared/'],
    where:
      '`app/shared/config.ts`, `app/shared/config/`, `app/shared/protocol.ts`, `app/shared/server-frames.ts`, `app/shared/log.ts`, `app/shared/telemetry/`',
    mayImport: 'nothing above it',
    imports: [],
    why: 'Shared code is imported by every layer; importing any of them back makes a loop of layers.',
  },
  {
    name: 'UI',
    members: ['app/web/'],
    where: '`app/web/` (React + Vite + Tailwind)',
    mayImport: 'protocol types only (`import type`)',
    imports: [
      // A pure function both sides apply to an answer's links (the server keeps, the browser renders only
      // app routes): shared code the bundle may carry, as it imports nothing.
      'app/shared/link-policy.ts',
      // The frame checks the server's tests hold to protocol.ts's schemas, without zod.
      'app/shared/server-frames.ts',
    ],
    typeOnly: ['app/shared/protocol.ts'],
    why: 'The browser bundle is built apart from the server: server code (and zod) must not reach it.',
  },
  {
    name: 'stacks',
    members: ['stacks/'],
    where: '`stacks/` (one typed `StackConfig` per environment, the image pin files)',
    mayImport: 'nothing but its own types and the config schema (`import type`): data only',
    imports: [],
    typeOnly: ['app/shared/config.ts'],
    dataOnly: true,
    why: 'A stack is data: reading, validating or writing files belongs to platform/ and scripts/.',
  },
  {
    name: 'platform',
    members: ['platform/', 'alerts/', 'dashboards/', 'observability/'],
    where:
      "`platform/` (cdk8s constructs in `workloads/`, `k8s/`, `cluster/`, the synth in `render/`, the validator, the Pulumi program), `alerts/`, `dashboards/`, `observability/` (typed PromQL and the exporters' metrics, shared by alerts and dashboards)",
    mayImport: "stacks, the app's metric catalog and config schema, never its runtime",
    imports: [
      'stacks',
      'app/shared/telemetry/catalog.ts',
      'app/shared/config.ts',
      'app/shared/config/',
      // The schema version an image carries is the newest migration's name; reading it here keeps the
      // rendered label and the migrator in step. It stays with the migrator, whose folder it reads: taking it
      // out into shared code is a change of code, not a move.
      'app/adapters/storage/migrate.ts',
    ],
    why: "The platform renders the app's configuration; loading the app's runtime would ship it into synth and Pulumi.",
  },
  {
    name: 'dev-time',
    members: ['bench/', 'scripts/', 'test/'],
    where: '`bench/`, `scripts/`, `test/`',
    mayImport: 'anything; nothing else may import them',
    imports: '*',
    why: 'Benchmarks, scripts and tests run from the repository, never in the image.',
  },
];

/** `app/edges/gateway/` → `^app/edges/gateway/`; `app/core/ports.ts` → `^app/core/ports[.]ts$`. */
function pathPattern(/** @type {string} */ member) {
  const escaped = member.replace(/[.]/g, '[.]');
  return member.endsWith('/') ? `^${escaped}` : `^${escaped}$`;
}

/** One regular expression matching any of `members`. */
function anyOf(/** @type {string[]} */ members) {
  return members.map(pathPattern).join('|');
}

/** A layer's name or a path → the paths it stands for. */
function expand(/** @type {string} */ entry) {
  const layer = layers.find((candidate) => candidate.name === entry);
  return layer ? layer.members : [entry];
}

/** Tests may reach across layers to set up what they check. */
const tests = '[.]test[.]tsx?$';

/**
 * The dependency-cruiser rules the table implies: per layer, no import of another layer's code (or, for
 * a data-only layer, of anything) outside what it may import, and `import type` only where it says so.
 * @returns {import('dependency-cruiser').IForbiddenRuleType[]}
 */
function layerRules() {
  const everyLayer = anyOf(layers.flatMap((layer) => layer.members));
  /** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
  const rules = [];
  for (const layer of layers) {
    if (layer.imports === '*') continue;
    const name = layer.name.toLowerCase().replace(/ /g, '-');
    const from = { path: anyOf(layer.members), pathNot: tests };
    const allowed = [...layer.members, ...layer.imports.flatMap(expand)];
    const typeOnly = layer.typeOnly ?? [];
    rules.push({
      name: `${name}-imports`,
      comment: `${layer.name} may import ${layer.mayImport}. ${layer.why}`,
      severity: 'error',
      from,
      to: layer.dataOnly
        ? { pathNot: anyOf([...allowed, ...typeOnly]) }
        : { path: everyLayer, pathNot: anyOf([...allowed, ...typeOnly]) },
    });
    if (typeOnly.length > 0)
      rules.push({
        name: `${name}-type-only`,
        comment: `${layer.name} may import ${typeOnly.join(', ')} with \`import type\` only. ${layer.why}`,
        severity: 'error',
        from,
        to: { path: anyOf(typeOnly), dependencyTypesNot: ['type-only'] },
      });
  }
  return rules;
}

/**
 * The folders that group units rather than being one: the layer folders of app/ and the four groups of
 * platform/. The unit of the folder-cycle check and of the diagram is the file or folder one level inside
 * one of them (`app/core/catalog/`), elsewhere a top-level one (`app/main.ts`, `platform/pulumi/`).
 */
const groups = [
  ...layers
    .flatMap((layer) => layer.members)
    .filter((member) => /^app\/[^/]+\/$/.test(member) && member !== 'app/web/'),
  'platform/workloads/',
  'platform/k8s/',
  'platform/cluster/',
  'platform/render/',
];

/** The unit a file is in: `app/core/catalog/import.ts` → `app/core/catalog`, `app/main.ts` → `app/main`. */
function unitOf(/** @type {string} */ path) {
  const base = groups.find((group) => path.startsWith(group)) ?? path.slice(0, path.indexOf('/') + 1);
  const match = /^([^/.]+)(?:\/|\.[cm]?[jt]sx?$)/.exec(path.slice(base.length));
  return match ? base + match[1] : undefined;
}

/** The layer a unit of app/ is in, by the members of the table: `app/core/catalog` → `core`. */
function layerOfUnit(/** @type {string} */ unit) {
  const inMember = (/** @type {string} */ member) =>
    member.endsWith('/') ? `${unit}/`.startsWith(member) : member.replace(/[.][^./]+$/, '') === unit;
  return layers.find((layer) => layer.members.some(inMember))?.name;
}

module.exports = { layers, layerRules, groups, unitOf, layerOfUnit, pathPattern };
