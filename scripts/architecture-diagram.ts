/**
 * The layer diagram in docs/architecture.md, generated from the real imports of app/ (dependency-cruiser),
 * collapsed to one node per top-level folder or file. `npm run architecture` rewrites the block in the doc;
 * test/delivery/architecture-doc.test.ts fails when the doc and the code disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';

/** Which layer each top-level unit of app/ belongs to; a unit missing here fails the generator. */
export const LAYERS = {
  'entry points': ['main', 'worker', 'migrate'],
  composition: ['runtime', 'infrastructure', 'services'],
  edges: ['gateway'],
  core: [
    'ports',
    'sessions',
    'prediction',
    'catalog',
    'manuals',
    'answers',
    'conversations',
    'audit',
    'privacy',
    'resilience',
  ],
  adapters: ['storage', 'cache', 'bus', 'jobs', 'redis'],
  shared: ['config', 'protocol', 'server-frames', 'log', 'telemetry'],
} as const satisfies Record<string, readonly string[]>;

const BEGIN = '<!-- architecture-diagram:begin (npm run architecture) -->';
const END = '<!-- architecture-diagram:end -->';
export const docPath = join(import.meta.dirname, '..', 'docs', 'architecture.md');

/** `app/manuals/fetch.ts` → `manuals`; `app/runtime.ts` → `runtime`; tests, the web UI and non-app files → undefined. */
function unitOf(path: string): string | undefined {
  const match = /^app\/([^/.]+)(?:\/|\.ts$)/.exec(path);
  if (!match || path.startsWith('app/web/') || /\.test\.tsx?$/.test(path)) return undefined;
  return match[1];
}

/** Folder-level import edges of the shipped app, sorted. */
export async function appEdges(): Promise<Array<[from: string, to: string]>> {
  const result = await cruise(['app'], {
    tsPreCompilationDeps: true,
    exclude: { path: '^app/web/|\\.test\\.tsx?$' },
    doNotFollow: { path: 'node_modules' },
  });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned text, not a result');
  const edges = new Set<string>();
  for (const module of result.output.modules) {
    const from = unitOf(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = unitOf(dependency.resolved);
      if (to && to !== from) edges.add(`${from} ${to}`);
    }
  }
  return [...edges].sort().map((edge) => edge.split(' ') as [string, string]);
}

export function mermaid(edges: ReadonlyArray<[string, string]>): string {
  const layerOf = new Map<string, string>();
  for (const [layer, units] of Object.entries(LAYERS)) for (const unit of units) layerOf.set(unit, layer);
  const units = new Set(edges.flat());
  const unknown = [...units].filter((unit) => !layerOf.has(unit));
  if (unknown.length > 0) throw new Error(`app/ units with no layer in LAYERS: ${unknown.join(', ')}`);
  const lines = ['```mermaid', 'flowchart TB'];
  for (const [layer, members] of Object.entries(LAYERS)) {
    const present = members.filter((unit) => units.has(unit));
    if (present.length === 0) continue;
    lines.push(`  subgraph ${layer.replace(' ', '_')}["${layer}"]`, `    ${present.join(' & ')}`, '  end');
  }
  for (const [from, to] of edges) lines.push(`  ${from} --> ${to}`);
  lines.push('```');
  return lines.join('\n');
}

/** The doc with its diagram block replaced by `diagram`. */
export function withDiagram(doc: string, diagram: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${docPath} lacks the ${BEGIN} … ${END} markers`);
  return `${doc.slice(0, start + BEGIN.length)}\n${diagram}\n${doc.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = readFileSync(docPath, 'utf8');
  writeFileSync(docPath, withDiagram(doc, mermaid(await appEdges())));
  console.log(`wrote the diagram into ${docPath}`);
}
