/**
 * The layers table and the layer diagram in docs/architecture.md, both generated: the table from the one
 * layer table (scripts/layers.cjs), the diagram from the real imports of app/ (dependency-cruiser),
 * collapsed to one node per top-level folder or file and grouped by that table. `npm run architecture`
 * rewrites both blocks in the doc; test/delivery/architecture-doc.test.ts fails when the doc and the code disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import table from './layers.cjs';
import { unitEdges } from './unit-graph.js';

const { appUnit, layers } = table;
const repoRoot = join(import.meta.dirname, '..');
export const docPath = join(repoRoot, 'docs', 'architecture.md');

/** Which layer each top-level unit of app/ belongs to (the UI, built apart, is not drawn). */
export const appLayers: ReadonlyArray<{ layer: string; units: string[] }> = layers
  .map((layer) => ({
    layer: layer.name,
    units: [
      ...new Set(layer.members.filter((member) => !member.startsWith('app/web/')).flatMap((m) => appUnit(m) ?? [])),
    ],
  }))
  .filter(({ units }) => units.length > 0);

/** Folder-level import edges of the shipped app (`manuals → catalog`), sorted. */
export async function appEdges(): Promise<Array<[from: string, to: string]>> {
  const edges = await unitEdges(['app'], '^app/web/', repoRoot);
  return edges.map(([from, to]) => [from.slice('app/'.length), to.slice('app/'.length)]);
}

export function mermaid(edges: ReadonlyArray<[string, string]>): string {
  const layerOf = new Map<string, string>();
  for (const { layer, units } of appLayers) for (const unit of units) layerOf.set(unit, layer);
  const units = new Set(edges.flat());
  const unknown = [...units].filter((unit) => !layerOf.has(unit));
  if (unknown.length > 0) throw new Error(`app/ units with no layer in scripts/layers.cjs: ${unknown.join(', ')}`);
  const lines = ['```mermaid', 'flowchart TB'];
  for (const { layer, units: members } of appLayers) {
    const present = members.filter((unit) => units.has(unit));
    if (present.length === 0) continue;
    lines.push(`  subgraph ${layer.replace(' ', '_')}["${layer}"]`, `    ${present.join(' & ')}`, '  end');
  }
  for (const [from, to] of edges) lines.push(`  ${from} --> ${to}`);
  lines.push('```');
  return lines.join('\n');
}

/** The layers table: every layer, where it is, what it may import. */
export function layersTable(): string {
  return [
    '| layer | where | may import |',
    '|---|---|---|',
    ...layers.map((layer) => `| ${layer.name} | ${layer.where} | ${layer.mayImport} |`),
  ].join('\n');
}

/** `doc` with the block between the `name` markers replaced by `body`. */
function withBlock(doc: string, name: string, body: string): string {
  const begin = `<!-- ${name}:begin (npm run architecture) -->`;
  const end = `<!-- ${name}:end -->`;
  const start = doc.indexOf(begin);
  const stop = doc.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`${docPath} lacks the ${begin} … ${end} markers`);
  return `${doc.slice(0, start + begin.length)}\n${body}\n${doc.slice(stop)}`;
}

/** The doc with its layers table and its diagram block regenerated (the diagram drawn from `edges`). */
export function withGenerated(doc: string, edges: ReadonlyArray<[string, string]>): string {
  return withBlock(withBlock(doc, 'layers-table', layersTable()), 'architecture-diagram', mermaid(edges));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = readFileSync(docPath, 'utf8');
  writeFileSync(docPath, withGenerated(doc, await appEdges()));
  console.log(`wrote the layers table and the diagram into ${docPath}`);
}
