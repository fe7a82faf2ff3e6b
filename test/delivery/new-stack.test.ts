/**
 * CONTRIBUTING's "A stack" recipe, followed step by step in a scratch copy of the repository (git archive
 * of HEAD, this checkout's node_modules linked in): a fourth stack `qa` between staging and prod, with no
 * edit beyond the recipe's. Then synth, the validators, the Pulumi mocks and the per-stack and workflow
 * tests run there and pick it up. The workflow test is run once before step 6 to show it notices.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/render/synth.js';

const NAME = 'qa';
let scratch: string;
const inScratch = (command: string, ...args: string[]) =>
  spawnSync(command, args, { cwd: scratch, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, CI: '1' } });
const edit = (file: string, change: (text: string) => string) => {
  const path = join(scratch, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  expect(after, `${file} changed`).not.toBe(before);
  writeFileSync(path, after);
};
const vitest = (...files: string[]) => inScratch('npx', 'vitest', 'run', '--reporter=verbose', ...files);

const recipe = readFileSync(join(repoRoot, 'CONTRIBUTING.md'), 'utf8');

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'hsc-new-stack-'));
  execFileSync('sh', ['-c', `git -C "${repoRoot}" archive HEAD | tar -x -C "${scratch}"`]);
  symlinkSync(join(repoRoot, 'node_modules'), join(scratch, 'node_modules'));
  execFileSync('git', ['init', '-q'], { cwd: scratch });
  execFileSync('git', ['add', '-A'], { cwd: scratch });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'base'], {
    cwd: scratch,
  });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a fourth stack, by CONTRIBUTING alone', () => {
  it('the recipe names every file the steps below touch', () => {
    for (const step of [
      'stacks/<name>.ts',
      '`StackName` union',
      'stacks/index.ts',
      'scripts/pin-images.ts --init <name> --like <the stack before it>',
      'Pulumi.<name>.yaml',
      "deploy.yml`'s `stack` options",
      "preview.yml`'s `matrix.stack`",
      "promote.yml`'s `to` options",
      'npm run synth',
    ])
      expect(recipe, step).toContain(step);
  });

  it('steps 1–7 in a scratch copy: synth, validators, Pulumi mocks, per-stack and workflow tests pick it up', () => {
    // 1. The stack file.
    writeFileSync(
      join(scratch, `stacks/${NAME}.ts`),
      `/** qa: a pre-production copy of prod at staging's size. */\nimport { defineStack } from './defaults.js';\n\nexport const ${NAME} = defineStack('${NAME}', { domain: '${NAME}.support.halilit.example' });\n`,
    );
    // 2. The StackName union.
    edit('stacks/types.ts', (t) => t.replace("'staging' | 'prod'", `'staging' | '${NAME}' | 'prod'`));
    // 3. Registered, between staging and prod.
    edit('stacks/index.ts', (t) =>
      t
        .replace(
          "import { prod } from './prod.js';",
          `import { prod } from './prod.js';\nimport { ${NAME} } from './${NAME}.js';`,
        )
        .replace('{ dev, staging, prod }', `{ dev, staging, ${NAME}, prod }`),
    );
    // Before its pin file exists, synth names the file and the command.
    const missing = inScratch('npx', 'tsx', 'platform/render/synth.ts', '--check');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain(
      `create it with \`npx tsx scripts/pin-images.ts --init ${NAME} --like <the stack before it>\``,
    );
    // 4. The pin file.
    const init = inScratch('npx', 'tsx', 'scripts/pin-images.ts', '--init', NAME, '--like', 'staging');
    expect(init.stderr).toBe('');
    // 5. The Pulumi stack file.
    writeFileSync(
      join(scratch, `Pulumi.${NAME}.yaml`),
      readFileSync(join(scratch, 'Pulumi.staging.yaml'), 'utf8').replaceAll('staging', NAME),
    );
    // The workflow test notices the workflows do not list it yet.
    const before = vitest('test/delivery/workflows.test.ts');
    expect(before.status, before.stdout.slice(-2000)).not.toBe(0);
    expect(before.stdout).toMatch(/every stack list in a workflow is stacks\/index\.ts/);
    // 6. The workflows' stack lists.
    edit('.github/workflows/deploy.yml', (t) =>
      t.replace('options: [dev, staging, prod]', `options: [dev, staging, ${NAME}, prod]`),
    );
    edit('.github/workflows/preview.yml', (t) =>
      t.replace('stack: [dev, staging, prod]', `stack: [dev, staging, ${NAME}, prod]`),
    );
    edit('.github/workflows/promote.yml', (t) =>
      t.replace('options: [staging, prod]', `options: [staging, ${NAME}, prod]`),
    );
    // 7. Synth.
    const synth = inScratch('npx', 'tsx', 'platform/render/synth.ts');
    expect(synth.status, synth.stderr).toBe(0);

    // The files touched: the recipe's and the generated tree of the new stack, nothing else.
    const touched = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: scratch,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3))
      .filter((p) => p !== 'node_modules');
    const handEdited = touched.filter((p) => !p.startsWith(`deploy/${NAME}/`));
    console.log(
      `files touched: ${handEdited.join(', ')} and ${touched.length - handEdited.length} under deploy/${NAME}/`,
    );
    expect(handEdited.sort()).toEqual(
      [
        `stacks/${NAME}.ts`,
        'stacks/types.ts',
        'stacks/index.ts',
        `stacks/images/${NAME}.json`,
        `Pulumi.${NAME}.yaml`,
        '.github/workflows/deploy.yml',
        '.github/workflows/preview.yml',
        '.github/workflows/promote.yml',
        `deploy/argocd/hsc-jit-${NAME}.yaml`,
        `deploy/argocd/appproject-hsc-jit-${NAME}.yaml`,
      ].sort(),
    );
    expect(touched.filter((p) => p.startsWith(`deploy/${NAME}/`)).length).toBeGreaterThan(40);
    expect(readFileSync(join(scratch, `deploy/argocd/hsc-jit-${NAME}.yaml`), 'utf8')).toContain(
      `targetRevision: env/${NAME}`,
    );

    // Synth drift, validators, Pulumi mocks (every stack, the new one included), per-stack and workflow tests.
    const check = inScratch('npx', 'tsx', 'platform/render/synth.ts', '--check');
    expect(check.status, check.stdout.slice(-2000)).toBe(0);
    const after = vitest(
      'platform/render/synth.test.ts',
      'platform/validate/rules.test.ts',
      'platform/pulumi/program.test.ts',
      'platform/pulumi/project.test.ts',
      'platform/cluster/postgres/postgres.test.ts',
      'test/delivery/workflows.test.ts',
    );
    const failed = after.stdout.split('\n').filter((l) => l.includes('×'));
    expect(failed, after.stdout.slice(-3000)).toEqual([]);
    expect(after.status).toBe(0);
    // Each per-stack suite ran for the new stack.
    expect(after.stdout).toContain(`the Pulumi program for ${NAME}, under mocks`);
    expect(after.stdout).toContain(`stack '${NAME}'`);
  }, 900_000);
});
