/**
 * scripts/check-commits.sh, CI's per-commit check, on a scratch repository with one commit of each kind it
 * must refuse: a long subject, a "wip", a large change without a body, and a tree whose typecheck fails
 * (there `npm run typecheck` fails while a file named `broken` exists), between commits it must accept.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/render/synth.js';
import { tempDir, type TempDir } from '../harness/index.js';

let scratch: TempDir;
const shas: Record<string, string> = {};
const git = (...args: string[]) => execFileSync('git', args, { cwd: scratch.path, encoding: 'utf8' }).trim();

function commit(name: string, message: string, change: () => void): void {
  change();
  git('add', '-A');
  git('commit', '-q', '-m', message);
  shas[name] = git('rev-parse', '--short', 'HEAD');
}

function check(env: Record<string, string>, base: string, head = 'HEAD') {
  const result = spawnSync('bash', ['scripts/check-commits.sh', base, head], {
    cwd: scratch.path,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  scratch = await tempDir('check-commits');
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.invalid');
  git('config', 'user.name', 'test');
  mkdirSync(join(scratch.path, 'scripts'));
  mkdirSync(join(scratch.path, 'node_modules'));
  copyFileSync(join(repoRoot, 'scripts/check-commits.sh'), join(scratch.path, 'scripts/check-commits.sh'));
  writeFileSync(join(scratch.path, '.gitignore'), 'node_modules\n');
  writeFileSync(
    join(scratch.path, 'package.json'),
    JSON.stringify({ private: true, scripts: { typecheck: 'test ! -e broken', lint: 'true' } }),
  );
  commit('base', 'Start the scratch repository', () => {});
  commit('good', 'Add a notes file\n\nThe first note, so later commits have something to change.', () =>
    writeFileSync(join(scratch.path, 'notes.txt'), 'one\n'),
  );
  commit('long', `Add a second note to the notes file, which this subject describes at great length`, () =>
    writeFileSync(join(scratch.path, 'notes.txt'), 'one\ntwo\n'),
  );
  commit('wip', 'WIP: a third note\n\nNot finished.', () =>
    writeFileSync(join(scratch.path, 'notes.txt'), 'one\ntwo\nthree\n'),
  );
  commit('bodiless', 'Add twenty lines of numbers', () =>
    writeFileSync(join(scratch.path, 'numbers.txt'), Array.from({ length: 20 }, (_, i) => `${i}\n`).join('')),
  );
  commit('broken', 'Break the type check\n\nA file the scratch typecheck refuses.', () =>
    writeFileSync(join(scratch.path, 'broken'), 'x\n'),
  );
  commit('mended', 'Mend the type check\n\nRemoves the file again.', () => rmSync(join(scratch.path, 'broken')));
});

afterAll(async () => {
  await scratch?.remove();
});

describe('scripts/check-commits.sh', () => {
  it('accepts a range of commits that each have a short subject, a body and a green tree', () => {
    const { status, stdout, stderr } = check({}, shas.base!, shas.good!);
    expect(stderr).toBe('');
    expect(stdout).toContain(`✔ ${shas.good} Add a notes file`);
    expect(status).toBe(0);
  });

  it('refuses a long subject, an unfinished one and a large change without a body, naming each commit', () => {
    const { status, stderr } = check({ CHECK_COMMITS_MESSAGES_ONLY: '1' }, shas.base!);
    expect(status).toBe(1);
    expect(stderr).toContain(`✗ ${shas.long}: subject is 81 characters (at most 72)`);
    expect(stderr).toContain(`✗ ${shas.wip}: subject says the work is unfinished: WIP: a third note`);
    expect(stderr).toContain(`✗ ${shas.bodiless}: no body for a change of 20 lines`);
    expect(stderr).not.toContain(shas.good!);
    expect(stderr).not.toContain(shas.broken!);
  });

  it('refuses a commit whose tree fails the type check, though the head passes, and leaves the checkout alone', () => {
    const { status, stdout, stderr } = check({}, shas.bodiless!);
    expect(stderr).toContain(`✗ ${shas.broken}: npm run typecheck fails`);
    expect(stderr).not.toContain(`✗ ${shas.mended}`);
    expect(status).toBe(1);
    expect(stdout).not.toContain(`✔ ${shas.broken}`);
    expect(stdout).toContain(`✔ ${shas.mended} Mend the type check`);
    expect(git('status', '--porcelain')).toBe('');
    expect(git('worktree', 'list').split('\n')).toHaveLength(1);
  });
});
