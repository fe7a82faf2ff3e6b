/**
 * `npm run synth`: renders every stack into deploy/ (removing files no stack renders any more) and
 * prints a summary table per stack. It refuses (exit 1, nothing written) a render that changes the
 * committed deploy/ destructively (platform/render/destructive.ts) unless the stack file allows that change.
 * `--check` writes nothing and exits 1 when deploy/ differs from a fresh synth (CI's drift check).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type StackConfig, type StackName, stacks } from './stacks.js';
import { destructiveChanges, refusedChanges } from './destructive.js';
import { summaryTable } from './diagram.js';
import { argoSettings, stackFolder } from '../cluster/gitops.js';
import { renderStack } from './render.js';
import { toYaml } from './yaml.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every file of deploy/ for every stack. */
export function renderAll(stackSet: Readonly<Record<StackName, StackConfig>> = stacks): {
  files: Map<string, string>;
  summaries: string[];
} {
  const files = new Map<string, string>();
  const summaries: string[] = [];
  for (const stack of Object.values(stackSet)) {
    const rendered = renderStack(stack);
    for (const [path, text] of rendered.files) files.set(path, text);
    summaries.push(summaryTable(stack, [...rendered.objects.topology, ...rendered.objects.gitops]));
  }
  // Argo CD's own settings are one object for every stack (and every Argo CD that syncs one).
  files.set('deploy/argocd/argocd-cm.yaml', toYaml(argoSettings()));
  return { files, summaries };
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
    );
  } catch {
    return [];
  }
}

export interface Drift {
  changed: string[];
  missing: string[];
  extra: string[];
}

/** How the tree on disk differs from `files` (repository-relative paths). */
export function diffTree(root: string, files: Map<string, string>): Drift {
  const onDisk = new Set(listFiles(join(root, 'deploy')).map((p) => relative(root, p)));
  const drift: Drift = { changed: [], missing: [], extra: [] };
  for (const [path, text] of files) {
    if (!onDisk.has(path)) drift.missing.push(path);
    else if (readFileSync(join(root, path), 'utf8') !== text) drift.changed.push(path);
  }
  for (const path of onDisk) if (!files.has(path)) drift.extra.push(path);
  return drift;
}

/** deploy/ as it is on disk (repository-relative paths). */
export function readTree(root: string): Map<string, string> {
  return new Map(
    listFiles(join(root, 'deploy')).map((p) => [relative(root, p).split('\\').join('/'), readFileSync(p, 'utf8')]),
  );
}

/** The destructive changes from `before` to `after` that no stack's `allowDestructive` allows. */
export function guard(
  before: Map<string, string>,
  after: Map<string, string>,
  stackSet: Readonly<Record<StackName, StackConfig>> = stacks,
): string[] {
  return Object.values(stackSet).flatMap((stack) =>
    refusedChanges(stack, destructiveChanges(before, after, stackFolder(stack))),
  );
}

export function writeTree(root: string, files: Map<string, string>): Drift {
  const drift = diffTree(root, files);
  for (const path of drift.extra) rmSync(join(root, path));
  for (const path of [...drift.missing, ...drift.changed]) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), files.get(path)!);
  }
  return drift;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files, summaries } = renderAll();
  const check = process.argv.includes('--check');
  const refused = check ? [] : guard(readTree(repoRoot), files);
  if (refused.length > 0) {
    console.error(`synth: refused, deploy/ left as it was:\n${refused.map((r) => `  ${r}`).join('\n')}`);
    process.exit(1);
  }
  const drift = check ? diffTree(repoRoot, files) : writeTree(repoRoot, files);
  console.log(summaries.join('\n\n'));
  const touched = drift.changed.length + drift.missing.length + drift.extra.length;
  console.log(`\n${files.size} files under deploy/; ${check ? 'differing' : 'written or removed'}: ${touched}`);
  if (check) for (const [what, paths] of Object.entries(drift)) for (const p of paths) console.log(`  ${what}: ${p}`);
  if (check && touched > 0) process.exit(1);
}
