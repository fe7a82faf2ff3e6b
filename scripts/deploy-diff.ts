/**
 * What a change does to the GitOps tree, per stack: each object it adds, removes and changes, and for a
 * changed object each field as `path: old → new`, from the rendered tree of the base revision to a fresh
 * render of the working tree (so it shows the effect even when deploy/ was not re-synthesized). The
 * local compose files are reported apart from the stacks. Destructive changes the stack files do not
 * allow are listed and make it exit 1 (platform/render/destructive.ts). Markdown for the pull request:
 *   npx tsx scripts/deploy-diff.ts --base origin/main > deploy-diff.md
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { fieldChanges, formatChange } from '../platform/render/object-diff.js';
import { guard, renderAll, repoRoot } from '../platform/render/synth.js';
import { stackNames } from '../stacks/index.js';

export interface ObjectChange {
  name: string;
  fields: string[];
}
export interface StackChanges {
  stack: string;
  added: string[];
  removed: string[];
  changed: ObjectChange[];
}

const COMPOSE = 'compose';

/**
 * `deploy/<stack>/…`, `deploy/argocd/hsc-jit-<stack>.yaml` and its AppProject → the stack; `deploy/compose*`
 * → compose; Argo CD's own settings (`deploy/argocd/argocd-cm.yaml`, every stack's) → argocd.
 */
function owner(path: string): { group: string; file: string } {
  const rest = path.replace(/^deploy\//, '');
  const app = /^argocd\/(?:appproject-)?hsc-jit-([\w-]+)\.yaml$/.exec(rest);
  if (app) return { group: app[1]!, file: rest };
  const slash = rest.indexOf('/');
  if (slash < 0) return { group: COMPOSE, file: rest };
  return { group: rest.slice(0, slash), file: rest.slice(slash + 1) };
}

function parsed(path: string, text: string): unknown {
  if (path.endsWith('.yaml')) return parse(text);
  if (path.endsWith('.json')) return JSON.parse(text);
  return undefined;
}

/** `Kind/namespace/name` for an object file, the path otherwise. */
function describe(file: string, value: unknown): string {
  const o = value as { kind?: string; metadata?: { name?: string; namespace?: string } } | undefined;
  if (o?.kind && o.metadata?.name)
    return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
  return file;
}

/** Changes per stack (in stacks/index.ts order, then compose and anything else), each list sorted. */
export function changesByStack(before: Map<string, string>, after: Map<string, string>): StackChanges[] {
  const groups = new Map<string, StackChanges>();
  const entry = (group: string) => {
    if (!groups.has(group)) groups.set(group, { stack: group, added: [], removed: [], changed: [] });
    return groups.get(group)!;
  };
  for (const name of stackNames) entry(name);
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const { group, file } = owner(path);
    const [b, a] = [before.get(path), after.get(path)];
    const e = entry(group);
    if (b === undefined) e.added.push(describe(file, parsed(path, a!)));
    else if (a === undefined) e.removed.push(describe(file, parsed(path, b)));
    else if (a !== b) {
      const [ob, oa] = [parsed(path, b), parsed(path, a)];
      const fields = oa === undefined ? [] : fieldChanges(ob, oa).map(formatChange);
      e.changed.push({ name: describe(file, oa), fields });
    }
  }
  for (const e of groups.values()) {
    e.added.sort();
    e.removed.sort();
    e.changed.sort((x, y) => x.name.localeCompare(y.name));
  }
  const order = (g: string) => (stackNames as string[]).indexOf(g) >>> 0;
  return [...groups.values()].sort((x, y) => order(x.stack) - order(y.stack) || x.stack.localeCompare(y.stack));
}

export function markdown(changes: StackChanges[], refused: string[] = []): string {
  const stacks = changes.filter((c) => c.stack !== COMPOSE);
  const lines = [
    '### Rendered deploy/ changes per stack',
    '',
    '| stack | added | removed | changed |',
    '|---|---|---|---|',
  ];
  for (const c of stacks) lines.push(`| ${c.stack} | ${c.added.length} | ${c.removed.length} | ${c.changed.length} |`);
  if (refused.length > 0)
    lines.push(
      '',
      '**Refused destructive changes** (allow one in the stack file’s `allowDestructive`, dated):',
      '',
      ...refused.map((r) => `- ${r}`),
    );
  const section = (c: StackChanges) => [
    ...c.added.map((n) => `- added \`${n}\``),
    ...c.removed.map((n) => `- removed \`${n}\``),
    ...c.changed.flatMap((o) => [`- changed \`${o.name}\``, ...o.fields.map((f) => `  - \`${f}\``)]),
  ];
  for (const c of stacks) {
    const items = section(c);
    if (items.length > 0)
      lines.push(
        '',
        `<details><summary>${c.stack}: ${c.added.length + c.removed.length + c.changed.length} object(s)</summary>`,
        '',
        ...items,
        '',
        '</details>',
      );
  }
  const compose = changes.find((c) => c.stack === COMPOSE);
  if (compose && section(compose).length > 0)
    lines.push(
      '',
      '### Local compose (not a stack: `docker compose`, never synced by Argo CD)',
      '',
      ...section(compose),
    );
  return `${lines.join('\n')}\n`;
}

/** deploy/ as committed at a git revision. */
export function treeAt(rev: string, root = repoRoot): Map<string, string> {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const paths = git('ls-tree', '-r', '--name-only', rev, '--', 'deploy').split('\n').filter(Boolean);
  return new Map(paths.map((p) => [p, git('show', `${rev}:${p}`)]));
}

const usage = `usage: deploy-diff.ts --base <git revision>
Renders every stack from the working tree and prints, per stack, each object added, removed and changed
against deploy/ as committed at <revision>, with each changed field as "path: old → new" (Markdown).
Exits 1 when a destructive change is not allowed by the stack file (allowDestructive).`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { base: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (!values.base) {
    console.error(`deploy-diff: --base <git revision> is required\n${usage}`);
    process.exit(2);
  }
  const before = treeAt(values.base);
  const after = renderAll().files;
  const refused = guard(before, after);
  process.stdout.write(markdown(changesByStack(before, after), refused));
  if (refused.length > 0) process.exit(1);
}
