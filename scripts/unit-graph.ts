/**
 * The imports between the units of a folder, from dependency-cruiser's view of the real imports. A unit is
 * a folder or a file (`app/core/catalog/` and `app/core/ports.ts` alike) at the top of app/ or platform/ or
 * one level inside a group folder (a layer folder of app/, a group of platform/; `groups` in
 * scripts/layers.cjs). Tests and their support code (a `helpers/` folder, CONTRIBUTING.md) are left out:
 * they may reach across units to set up what they check. The diagram in docs/architecture.md draws app/'s
 * graph; scripts/folder-cycles.ts looks for loops in app/'s and platform/'s.
 */
import { cruise } from 'dependency-cruiser';
import table from './layers.cjs';

/** `app/core/manuals/fetch.ts` → `app/core/manuals`; `app/main.ts` → `app/main`; outside `roots` or a test → undefined. */
export function unitOf(path: string, roots: readonly string[]): string | undefined {
  if (/\.test\.tsx?$|\/helpers\//.test(path)) return undefined;
  if (!roots.includes(path.slice(0, path.indexOf('/')))) return undefined;
  return table.unitOf(path);
}

/** Unit-level import edges among the units of `roots` (skipping paths matching `exclude`), sorted. */
export async function unitEdges(
  roots: readonly string[],
  exclude?: string,
  baseDir = process.cwd(),
): Promise<Array<[from: string, to: string]>> {
  const result = await cruise([...roots], {
    baseDir,
    tsPreCompilationDeps: true,
    exclude: { path: `\\.test\\.tsx?$|/helpers/${exclude ? `|${exclude}` : ''}` },
    doNotFollow: { path: 'node_modules' },
  });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned text, not a result');
  const edges = new Set<string>();
  for (const module of result.output.modules) {
    const from = unitOf(module.source, roots);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = unitOf(dependency.resolved, roots);
      if (to && to !== from) edges.add(`${from} ${to}`);
    }
  }
  return [...edges].sort().map((edge) => edge.split(' ') as [string, string]);
}
