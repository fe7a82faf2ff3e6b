/**
 * What a change does to the GitOps tree, per stack: the objects it adds, removes and changes, from the
 * rendered tree of the base revision to a fresh render of the working tree (so it shows the effect even
 * when deploy/ was not re-synthesized). Markdown for the pull request:
 *   npx tsx scripts/deploy-diff.ts --base origin/main >> "$GITHUB_STEP_SUMMARY"
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { renderAll, repoRoot } from '../platform/synth.js';

export interface StackChanges {
  stack: string;
  added: string[];
  removed: string[];
  changed: string[];
}

/** `deploy/<stack>/<file>` → stack and a readable name: `Kind/name` for an object file, the path otherwise. */
function describe(path: string, text: string): { stack: string; name: string } {
  const [, stack = 'other', ...rest] = path.split('/');
  const file = rest.join('/');
  if (rest.length === 1 && file.endsWith('.yaml')) {
    const object = parse(text) as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
    if (object?.kind && object.metadata?.name)
      return {
        stack,
        name: `${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`,
      };
  }
  return { stack, name: file };
}

/** Changes per stack (every stack present on either side, in name order), each list sorted. */
export function changesByStack(before: Map<string, string>, after: Map<string, string>): StackChanges[] {
  const byStack = new Map<string, StackChanges>();
  const entry = (stack: string) => {
    if (!byStack.has(stack)) byStack.set(stack, { stack, added: [], removed: [], changed: [] });
    return byStack.get(stack)!;
  };
  for (const [path, text] of after) {
    const { stack, name } = describe(path, text);
    const e = entry(stack);
    if (!before.has(path)) e.added.push(name);
    else if (before.get(path) !== text) e.changed.push(name);
  }
  for (const [path, text] of before) {
    const { stack, name } = describe(path, text);
    const e = entry(stack);
    if (!after.has(path)) e.removed.push(name);
  }
  for (const e of byStack.values()) for (const list of [e.added, e.removed, e.changed]) list.sort();
  return [...byStack.values()].sort((a, b) => a.stack.localeCompare(b.stack));
}

export function markdown(changes: StackChanges[]): string {
  const lines = [
    '### Rendered deploy/ changes per stack',
    '',
    '| stack | added | removed | changed |',
    '|---|---|---|---|',
  ];
  for (const c of changes) lines.push(`| ${c.stack} | ${c.added.length} | ${c.removed.length} | ${c.changed.length} |`);
  for (const c of changes) {
    const items = [
      ...c.added.map((n) => `- added \`${n}\``),
      ...c.removed.map((n) => `- removed \`${n}\``),
      ...c.changed.map((n) => `- changed \`${n}\``),
    ];
    if (items.length > 0)
      lines.push(
        '',
        `<details><summary>${c.stack}: ${items.length} change(s)</summary>`,
        '',
        ...items,
        '',
        '</details>',
      );
  }
  return `${lines.join('\n')}\n`;
}

/** deploy/ as committed at a git revision. */
export function treeAt(rev: string, root = repoRoot): Map<string, string> {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const paths = git('ls-tree', '-r', '--name-only', rev, '--', 'deploy').split('\n').filter(Boolean);
  return new Map(paths.map((p) => [p, git('show', `${rev}:${p}`)]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { base: { type: 'string' } } });
  if (!values.base) {
    console.error('deploy-diff: --base <git revision> is required');
    process.exit(2);
  }
  process.stdout.write(markdown(changesByStack(treeAt(values.base), renderAll().files)));
}
