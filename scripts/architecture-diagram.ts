/**
 * The layers table and the layer diagram in docs/architecture.md, both generated: the table from the one
 * layer table (scripts/layers.cjs), the diagram from the real imports of app/ (dependency-cruiser),
 * collapsed to one node per unit (a folder or file of a layer folder, or an entry point) and grouped by
 * that table. `npm run architecture`
 * rewrites both blocks in the doc; test/delivery/architecture-doc.test.ts fails when the doc and the code disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import table from './layers.cjs';
import { unitEdges } from './unit-graph.js';

const { layerOfUnit, layers } = table;
const repoRoot = join(import.meta.dirname, '..');
export const docPath = join(repoRoot, 'docs', 'architecture.md');

/** Unit-level import edges of the shipped app (`app/core/manuals → app/core/catalog`), sorted; the UI is built apart. */
export async function appEdges(): Promise<Array<[from: string, to: string]>> {
  return unitEdges(['app'], '^app/web/', repoRoot);
}

/** A unit's node in the diagram, its own name: `app/core/catalog` → `catalog` (its layer is its subgraph). */
const nodeOf = (unit: string): string => unit.slice(unit.lastIndexOf('/') + 1);

export function mermaid(edges: ReadonlyArray<[string, string]>): string {
  const units = [...new Set(edges.flat())].sort();
  const unknown = units.filter((unit) => !layerOfUnit(unit));
  if (unknown.length > 0) throw new Error(`app/ units with no layer in scripts/layers.cjs: ${unknown.join(', ')}`);
  const named = new Map<string, string>();
  for (const unit of units) {
    const other = named.get(nodeOf(unit));
    if (other) throw new Error(`${other} and ${unit} would be one node, ${nodeOf(unit)}, in the diagram: rename one`);
    named.set(nodeOf(unit), unit);
  }
  const lines = ['```mermaid', 'flowchart TB'];
  for (const { name } of layers) {
    const present = units.filter((unit) => layerOfUnit(unit) === name).map(nodeOf);
    if (present.length === 0) continue;
    lines.push(`  subgraph ${name.replace(' ', '_')}["${name}"]`, `    ${present.join(' & ')}`, '  end');
  }
  lines.push(...edges.map(([from, to]) => `  ${nodeOf(from)} --> ${nodeOf(to)}`).sort());
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
