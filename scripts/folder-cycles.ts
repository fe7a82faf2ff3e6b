/**
 * Cycles between folders, which dependency-cruiser (file cycles only) does not see: `a/x.ts → b/y.ts` and
 * `b/z.ts → a/w.ts` make the folders a and b one unit in all but name, though no file imports itself back.
 * The nodes are the units of app/ and platform/ (a folder or a file inside a layer folder or a group,
 * `app/core/catalog`, `app/core/ports`, `platform/k8s/labels`, or at the top, `app/main`, `platform/pulumi`;
 * see unit-graph.ts), the edges their imports (tests left out). Run by `npm run lint`; exits 1 on a cycle.
 */
import { fileURLToPath } from 'node:url';
import { unitEdges } from './unit-graph.js';

export const ROOTS = ['app', 'platform'] as const;

/**
 * Folder loops allowed while they are being removed, each with why it is there (none today). An edge here is left
 * out of the graph, so the loop it closes is not reported; any other loop fails. Remove an entry with the
 * loop: the check fails on an entry that matches no import any more, so the list cannot go stale.
 */
export const ALLOWED: ReadonlyArray<{ from: string; to: string; why: string }> = [];

/** Strongly connected groups of more than one unit, each sorted, in a stable order (Tarjan's algorithm). */
export function cycles(edges: ReadonlyArray<readonly [string, string]>): string[][] {
  const next = new Map<string, string[]>();
  for (const [from, to] of edges) {
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return groups.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** What is wrong with the unit graph of `baseDir`: one line per cycle and per stale allowance. */
export async function folderCycleProblems(baseDir = process.cwd(), allowed = ALLOWED): Promise<string[]> {
  const edges = await unitEdges(ROOTS, '^app/web/dist/', baseDir);
  const isAllowed = ([from, to]: readonly [string, string]) =>
    allowed.some((allowance) => allowance.from === from && allowance.to === to);
  const problems = cycles(edges.filter((edge) => !isAllowed(edge))).map((group) => {
    const inside = edges.filter(([from, to]) => group.includes(from) && group.includes(to));
    return `folder cycle between ${group.join(', ')}: ${inside.map(([from, to]) => `${from} → ${to}`).join(', ')}`;
  });
  for (const { from, to } of allowed)
    if (!edges.some((edge) => edge[0] === from && edge[1] === to))
      problems.push(`allowed folder import ${from} → ${to} no longer exists: remove it from scripts/folder-cycles.ts`);
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = await folderCycleProblems();
  for (const problem of problems) console.error(`error ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log(`✔ no folder cycles in ${ROOTS.join('/, ')}/`);
}
