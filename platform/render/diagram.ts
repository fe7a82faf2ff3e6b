/** deploy/<stack>/README.md: what the folder is, the objects by kind, and the topology as a Mermaid graph drawn from the dependency graph. */
import type { StackConfig } from '../../stacks/types.js';
import type { KubeObject } from './build-stack.js';
import { dependencyGraph, isComponent } from '../cluster/graph.js';

export interface SummaryRow {
  kind: string;
  count: number;
  names: string[];
}

export function summarize(objects: readonly KubeObject[]): SummaryRow[] {
  const byKind = new Map<string, string[]>();
  for (const o of objects) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o.metadata.name]);
  return [...byKind.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, names]) => ({ kind, count: names.length, names: names.sort() }));
}

const nodeId = (node: string) => node.replaceAll('-', '_');

export function mermaid(stack: StackConfig): string {
  const edges = dependencyGraph(stack);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  const lines = ['flowchart LR'];
  for (const node of nodes)
    lines.push(isComponent(node) ? `  ${nodeId(node)}[${node}]` : `  ${nodeId(node)}([${node}])`);
  for (const e of edges) lines.push(`  ${nodeId(e.from)} -->|${e.portNames.join(', ')}| ${nodeId(e.to)}`);
  return lines.join('\n');
}

export function renderReadme(stack: StackConfig, objects: readonly KubeObject[]): string {
  const rows = summarize(objects).map((r) => `| ${r.kind} | ${r.count} | ${r.names.join(', ')} |`);
  return [
    `# deploy/${stack.name}`,
    '',
    `Rendered by \`npm run synth\` from \`stacks/${stack.name}.ts\` and \`platform/\`. Do not edit: change the code and re-synth`,
    '(a test fails when this folder differs from a fresh synth). Argo CD syncs the `*.yaml` files of this folder into',
    `namespace \`${stack.namespace}\`; \`prometheus/rules.yaml\` and \`grafana/*.json\` are the same rules and dashboards as plain files.`,
    'Secrets are referenced by name only; the Pulumi program creates them.',
    '',
    '## Objects',
    '',
    '| kind | count | names |',
    '|---|---|---|',
    ...rows,
    '',
    '## Topology',
    '',
    'Every arrow is an edge of the dependency graph (`platform/cluster/graph.ts`) and a pair of network-policy rules; labels are ports.',
    '',
    '```mermaid',
    mermaid(stack),
    '```',
    '',
  ].join('\n');
}

export function summaryTable(stack: StackConfig, objects: readonly KubeObject[]): string {
  const rows = summarize(objects);
  const width = Math.max(4, ...rows.map((r) => r.kind.length));
  return [
    `stack ${stack.name} (namespace ${stack.namespace}): ${objects.length} objects`,
    `  ${'kind'.padEnd(width)}  count  names`,
    ...rows.map((r) => `  ${r.kind.padEnd(width)}  ${String(r.count).padStart(5)}  ${r.names.join(', ')}`),
  ].join('\n');
}
