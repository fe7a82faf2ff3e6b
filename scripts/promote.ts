/**
 * Promotion and rollback by environment branch. dev's Argo CD Application follows `main`; every later
 * stack follows `env/<stack>`, which only this script advances, so staging and prod sync nothing
 * (rendered manifests, platform code, alerts, dashboards, images) that was not promoted to them.
 *
 *   npx tsx scripts/promote.ts --to staging [--from dev] [--rev <commit>]
 *     Refused unless `--from` is the stack before `--to` in stacks/index.ts, and unless Argo CD reports
 *     the source's Application Synced and Healthy at the revision promoted (ARGOCD_SERVER,
 *     ARGOCD_AUTH_TOKEN). Then `env/<to>` gets one commit whose tree is exactly that revision's tree (its
 *     parents: the branch's previous tip and the revision), after checking that every pin of the target
 *     carries a digest. The workflow pushes the branch.
 *   npx tsx scripts/promote.ts --rollback prod --group app|data|platform --rev <good env/prod commit>
 *     Run in a checkout of `env/prod`: puts one component group back as it was at `--rev` and leaves
 *     the rest: `app` the released images, `data` the data tier's images, `platform` every file but the
 *     pin file. Then `npm run synth` and a commit on `env/prod` (promote.yml does both).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatPins, hasDigest, parseCatalogue, parsePins } from '../platform/render/image-pins.js';
import { CATALOGUE_FILE, type ImageKey, imageKeys, imageSource, type Pins, pinFileName } from '../stacks/images.js';
import { type StackName, stackNames } from '../stacks/index.js';

export const IMAGES_DIR = 'stacks/images';
export const envBranch = (stack: StackName) => `env/${stack}`;
export const applicationName = (stack: StackName) => `hsc-jit-${stack}`;

/** The stack before `to` on the way to prod, in the order of stacks/index.ts (the first has none). */
export function previousStack(to: StackName): StackName | undefined {
  const index = stackNames.indexOf(to);
  return index > 0 ? stackNames[index - 1] : undefined;
}

/** The component groups a rollback moves separately. */
export const rollbackGroups = ['app', 'data', 'platform'] as const;
export type RollbackGroup = (typeof rollbackGroups)[number];
/** Released images are the app group; every third-party image is the data tier's (Redis, Postgres and their tools). */
export const groupKeys = (group: Exclude<RollbackGroup, 'platform'>): ImageKey[] =>
  imageKeys.filter((k) => (imageSource[k] === 'release') === (group === 'app'));

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim();
}
function branchTip(repo: string, ref: string): string | undefined {
  try {
    return git(repo, 'rev-parse', '--verify', '--quiet', ref);
  } catch {
    return undefined;
  }
}

/** Promotion moves one step along stacks/index.ts's order: never skips a stack, never goes back. */
export function assertOrder(from: StackName, to: StackName): void {
  if (previousStack(to) !== from)
    throw new Error(
      `${from} → ${to} refused: ${to} is promoted only from ${previousStack(to) ?? '(nothing: it follows main)'}`,
    );
}
const showFile = (repo: string, rev: string, path: string) => git(repo, 'show', `${rev}:${path}`);

/** The fields of Argo CD's `GET /api/v1/applications/<name>` (v1alpha1.Application) that the gate reads. */
const applicationSchema = z.object({
  metadata: z.object({ name: z.string() }),
  status: z.object({
    sync: z.object({ status: z.string(), revision: z.string().optional() }),
    health: z.object({ status: z.string() }),
  }),
});
export interface ApplicationState {
  name: string;
  sync: string;
  health: string;
  revision: string | undefined;
}

/** Asks Argo CD's API server for an Application's sync and health state. */
export async function applicationState(server: string, token: string, name: string): Promise<ApplicationState> {
  const url = new URL(`/api/v1/applications/${encodeURIComponent(name)}`, server);
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if (!response.ok) throw new Error(`Argo CD ${url.pathname}: HTTP ${response.status}`);
  const parsed = applicationSchema.safeParse(await response.json());
  if (!parsed.success)
    throw new Error(`Argo CD ${url.pathname}: not an Application (${parsed.error.issues[0]?.message})`);
  const { status, metadata } = parsed.data;
  return {
    name: metadata.name,
    sync: status.sync.status,
    health: status.health.status,
    revision: status.sync.revision,
  };
}

/**
 * The revision a promotion may carry: what the source's Application runs, Synced and Healthy. A `rev`
 * asked for must be that revision (a full or abbreviated commit id), not merely an ancestor of it.
 */
export function gatedRevision(state: ApplicationState, rev?: string): string {
  if (state.sync !== 'Synced' || state.health !== 'Healthy')
    throw new Error(`${state.name} is ${state.sync}/${state.health}: promotion needs Synced/Healthy`);
  if (!state.revision) throw new Error(`${state.name} reports no synced revision`);
  if (rev !== undefined && !state.revision.startsWith(rev))
    throw new Error(`${state.name} runs ${state.revision}, not ${rev}: promote what the source stack runs`);
  return state.revision;
}

/** The target's images at `rev` (its pins over the catalogue), each required to carry its digest. */
export function requirePromotable(repo: string, rev: string, to: StackName): void {
  const pinFile = `${IMAGES_DIR}/${pinFileName(to)}`;
  const pins: Pins = parsePins(showFile(repo, rev, pinFile), pinFile);
  const catalogue = parseCatalogue(showFile(repo, rev, `${IMAGES_DIR}/${CATALOGUE_FILE}`));
  for (const key of imageKeys) {
    const [ref, file] = pins[key] ? [pins[key], pinFile] : [catalogue[key], `${IMAGES_DIR}/${CATALOGUE_FILE}`];
    if (ref === undefined) throw new Error(`${pinFile}: ${key}: no image (neither the pin file nor the catalogue)`);
    if (!hasDigest(ref))
      throw new Error(
        `${file}: ${key}: "${ref}" has no digest (it awaits a first release); only repo:tag@sha256:… pins are promoted`,
      );
  }
}

export interface Promotion {
  from: StackName;
  to: StackName;
  revision: string;
  /** The new tip of env/<to>. */
  commit: string;
}

/**
 * Advances env/<to> to a commit carrying exactly `revision`'s tree. Compare-and-swap on the branch, so two
 * promotions never interleave. Checks only what git holds; the caller has passed the Argo CD gate.
 */
export function promoteRevision(repo: string, from: StackName, to: StackName, revision: string): Promotion {
  assertOrder(from, to);
  const commit = git(repo, 'rev-parse', '--verify', `${revision}^{commit}`);
  requirePromotable(repo, commit, to);
  const ref = `refs/heads/${envBranch(to)}`;
  const tip = branchTip(repo, ref);
  const parents = tip ? ['-p', tip, '-p', commit] : ['-p', commit];
  const message = `promote ${from}@${commit.slice(0, 12)} → ${to}\n\nThe tree of ${commit}, as ${applicationName(from)} ran it Synced and Healthy.`;
  const created = git(repo, 'commit-tree', `${commit}^{tree}`, ...parents, '-m', message);
  git(repo, 'update-ref', ref, created, tip ?? '0'.repeat(40));
  return { from, to, revision: commit, commit: created };
}

/**
 * A rollback of one group in a checkout of env/<stack> (`repo`'s work tree), from its state at `rev`.
 * Returns the paths it rewrote; re-rendering deploy/ and committing are the caller's (promote.yml's).
 */
export function rollbackGroup(repo: string, stack: StackName, group: RollbackGroup, rev: string): string[] {
  const pinFile = `${IMAGES_DIR}/${pinFileName(stack)}`;
  const current = parsePins(showFile(repo, 'HEAD', pinFile), pinFile);
  if (group === 'platform') {
    // Every file as at `rev` (deleted ones too), then the stack's current images back on top.
    git(repo, 'restore', `--source=${rev}`, '--staged', '--worktree', '--', '.');
    writeFileSync(join(repo, pinFile), formatPins(current));
    return git(repo, 'diff', '--name-only', 'HEAD').split('\n').filter(Boolean);
  }
  const good = parsePins(showFile(repo, rev, pinFile), `${pinFile}@${rev}`);
  const pins: Pins = { ...current };
  for (const key of groupKeys(group)) {
    const ref = good[key];
    if (ref === undefined) delete pins[key];
    else pins[key] = ref;
  }
  writeFileSync(join(repo, pinFile), formatPins(pins));
  return [pinFile];
}

function stackArg(value: string | undefined, flag: string): StackName {
  if (value === undefined) throw new Error(`--${flag} <stack> is required`);
  if (!(stackNames as string[]).includes(value))
    throw new Error(`--${flag} ${value}: expected one of ${stackNames.join(', ')}`);
  return value as StackName;
}

const usage = `usage:
  promote.ts --to <stack> [--from <the stack before it>] [--rev <commit>] [--repo <dir>]
  promote.ts --rollback <stack> --group ${rollbackGroups.join('|')} --rev <good commit of env/<stack>> [--repo <dir>]
Promotion asks Argo CD (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN) whether the source runs the revision Synced and Healthy.`;

export async function main(argv: string[], env = process.env): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      rev: { type: 'string' },
      repo: { type: 'string' },
      rollback: { type: 'string' },
      group: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return usage;
  const repo: string = values.repo ?? process.cwd();
  if (values.rollback !== undefined) {
    const stack = stackArg(values.rollback, 'rollback');
    const group = values.group as RollbackGroup;
    if (!rollbackGroups.includes(group)) throw new Error(`--group: expected one of ${rollbackGroups.join(', ')}`);
    if (!values.rev) throw new Error('--rev <good commit> is required for a rollback');
    const paths = rollbackGroup(repo, stack, group, values.rev);
    return `rollback of ${stack}'s ${group} to ${values.rev}: ${paths.length} file(s) rewritten\n${paths.map((p) => `  ${p}`).join('\n')}`;
  }
  const to = stackArg(values.to, 'to');
  const from = values.from === undefined ? previousStack(to) : stackArg(values.from, 'from');
  if (from === undefined) throw new Error(`${to} follows main: nothing is promoted into it`);
  assertOrder(from, to);
  const server = env.ARGOCD_SERVER;
  const token = env.ARGOCD_AUTH_TOKEN;
  if (!server || !token) throw new Error('ARGOCD_SERVER and ARGOCD_AUTH_TOKEN are required: the gate asks Argo CD');
  const revision = gatedRevision(await applicationState(server, token, applicationName(from)), values.rev);
  const done = promoteRevision(repo, from, to, revision);
  return `promoted ${from}@${done.revision} → ${envBranch(to)} (${done.commit})`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (text) => console.log(text),
    (error: Error) => {
      console.error(`promote: ${error.message}`);
      process.exit(2);
    },
  );
}
