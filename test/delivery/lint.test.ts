/**
 * `npm run lint` (Biome's rules and formatting, then the import rules in .dependency-cruiser.cjs) is a gate
 * in .ci/run and the CI workflow: it passes on the tree as committed, and the same tools with the same
 * configuration fail on a planted violation of each kind, so the gate cannot pass vacuously. The violations
 * are planted in a scratch copy of the layout, never in the working tree, where tests running alongside
 * (the architecture diagram, the image context) would see them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/synth.js';
import { tempDir, type TempDir } from '../harness/index.js';

const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

let scratch: TempDir;
beforeAll(async () => {
  scratch = await tempDir('lint-probe');
  // The scratch folder is no git checkout: the same Biome configuration, minus reading .gitignore.
  const biome = readFileSync(join(repoRoot, 'biome.jsonc'), 'utf8').replace(
    /"vcs": \{[^}]*\}/,
    '"vcs": { "enabled": false }',
  );
  expect(biome).toContain('"vcs": { "enabled": false }');
  writeFileSync(join(scratch.path, 'biome.jsonc'), biome);
  copyFileSync(join(repoRoot, 'tsconfig.json'), join(scratch.path, 'tsconfig.json'));
  const files: Record<string, string> = {
    'app/any.ts': 'export const value: any = 1;\n',
    'app/format.ts': 'export const value = "double quotes"\n',
    'app/gateway/probes.ts': 'export const registerProbes = (): void => {};\n',
    'app/catalog/edge.ts': "export { registerProbes } from '../gateway/probes.js';\n",
    'platform/a.ts': "import { b } from './b.js';\n\nexport const a = (): number => b() + 1;\n",
    'platform/b.ts': "import { a } from './a.js';\n\nexport const b = (): number => a() - 1;\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch.path, path)), { recursive: true });
    writeFileSync(join(scratch.path, path), text);
  }
});

afterAll(async () => {
  await scratch?.remove();
});

describe('npm run lint', () => {
  it('passes on the committed tree', () => {
    const { status, output } = run('npm', ['run', '-s', 'lint'], repoRoot);
    expect(output).toContain('no dependency violations found');
    expect(status).toBe(0);
  });

  it("fails on a lint rule and on unformatted code (Biome with the repository's configuration)", () => {
    const { status, output } = run(bin('biome'), ['check', '.'], scratch.path);
    expect(status).not.toBe(0);
    expect(output).toContain('noExplicitAny');
    expect(output).toMatch(/format/i);
  });

  it("fails on a core module importing the gateway and on an import cycle (the repository's import rules)", () => {
    const config = join(repoRoot, '.dependency-cruiser.cjs');
    const { status, output } = run(bin('depcruise'), ['app', 'platform', '--config', config], scratch.path);
    expect(status).not.toBe(0);
    expect(output).toContain('core-imports');
    expect(output).toContain('no-cycles');
  });
});
