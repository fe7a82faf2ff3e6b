/**
 * Promotion and rollback: copies a stack's complete image set (its pins over the third-party catalogue)
 * into another stack's pin file. Nothing else changes, so after `npm run synth` only the target's rendered
 * tree moves, and only in its image references. Used by .github/workflows/promote.yml:
 *   npx tsx scripts/promote.ts --to staging                       # dev's images → staging
 *   npx tsx scripts/promote.ts --to prod                          # staging's images → prod
 *   npx tsx scripts/promote.ts --to prod --from prod --rev <git>  # rollback: prod's pin set as of <git>
 * `--rev` reads the source's files as they were at that git revision (a release or promotion commit).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CATALOGUE_FILE,
  combineImages,
  defaultImagesDir,
  type Images,
  imageKeys,
  parseCatalogue,
  parsePins,
  pinFileName,
  readPins,
  writePins,
} from '../stacks/images.js';
import { stackNames, type StackName } from '../stacks/index.js';

/** Each stack's default source: the one before it on the way to prod. */
export const promotesFrom: Partial<Record<StackName, StackName>> = { staging: 'dev', prod: 'staging' };

/** The source's images, from the working tree or (with `rev`) from git at that revision. */
export function sourceImages(from: StackName, options: { dir?: string; rev?: string } = {}): Images {
  const dir = options.dir ?? defaultImagesDir;
  const read = (file: string): string => {
    if (options.rev === undefined) return readFileSync(join(dir, file), 'utf8');
    const top = execFileSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
    const path = relative(top, join(dir, file)).split('\\').join('/');
    return execFileSync('git', ['-C', top, 'show', `${options.rev}:${path}`], { encoding: 'utf8' });
  };
  return combineImages(
    from,
    parseCatalogue(read(CATALOGUE_FILE)),
    parsePins(read(pinFileName(from)), pinFileName(from)),
  );
}

export interface Promotion {
  to: StackName;
  /** Keys whose reference changed: [key, before, after]. */
  changed: Array<[string, string | undefined, string]>;
}

/** Writes `images` as the target's complete pin set (every key, so later catalogue bumps do not leak in). */
export function promote(to: StackName, images: Images, dir = defaultImagesDir): Promotion {
  const before = readPins(to, dir);
  writePins(to, images, dir);
  const changed = imageKeys
    .filter((k) => before[k] !== images[k])
    .map((k): [string, string | undefined, string] => [k, before[k], images[k]]);
  return { to, changed };
}

function stackArg(value: string | undefined, flag: string): StackName | undefined {
  if (value === undefined) return undefined;
  if (!(stackNames as string[]).includes(value))
    throw new Error(`--${flag} ${value}: expected one of ${stackNames.join(', ')}`);
  return value as StackName;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { values } = parseArgs({
      options: { to: { type: 'string' }, from: { type: 'string' }, rev: { type: 'string' } },
    });
    const to = stackArg(values.to, 'to');
    if (!to) throw new Error('--to <stack> is required');
    const from = stackArg(values.from, 'from') ?? promotesFrom[to];
    if (!from) throw new Error(`${to} has no stack before it: name the source with --from (and --rev for a rollback)`);
    if (from === to && values.rev === undefined)
      throw new Error(`--from ${from} --to ${to} without --rev changes nothing`);
    const result = promote(to, sourceImages(from, values.rev ? { rev: values.rev } : {}));
    const source = values.rev ? `${from}@${values.rev}` : from;
    console.log(`promoted ${source} → ${to}: ${result.changed.length} image(s) changed`);
    for (const [key, before, after] of result.changed) console.log(`  ${key}: ${before ?? '(catalogue)'} → ${after}`);
  } catch (error) {
    console.error(`promote: ${(error as Error).message}`);
    process.exit(2);
  }
}
