/**
 * The imports between the top-level units of a folder (its subfolders and its files, `app/catalog/` and
 * `app/ports.ts` alike), from dependency-cruiser's view of the real imports. Tests and their support code
 * (a `helpers/` folder, CONTRIBUTING.md) are left out: they may reach across units to set up what they check. The diagram in docs/architecture.md draws app/'s graph;
 * scripts/folder-cycles.ts looks for loops in app/'s and platform/'s.
 */
import { cruise } from 'dependency-cruiser';

/** `app/manuals/fetch.ts` → `app/manuals`; `app/runtime.ts` → `app/runtime`; outside `roots` or a test → undefined. */
export function unitOf(path: string, roots: readonly string[]): string | undefined {
  if (/\.test\.tsx?$|\/helpers\//.test(path)) return undefined;
  const match = /^([^/]+)\/([^/.]+)(?:\/|\.[cm]?[jt]sx?$)/.exec(path);
  if (!match || !roots.includes(match[1]!)) return undefined;
  return `${match[1]}/${match[2]}`;
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
