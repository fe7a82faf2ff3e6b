/**
 * `npm run lint` (Biome's rules and formatting, then the import rules in .dependency-cruiser.cjs) is a gate
 * in .ci/run and the CI workflow: it passes on the tree as committed and fails on a planted violation of
 * each kind, so the gate cannot pass vacuously.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/synth.js';

function lint(): { status: number | null; output: string } {
  const run = spawnSync('npm', ['run', '-s', 'lint'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const planted: string[] = [];
afterAll(() => {
  for (const dir of planted) rmSync(dir, { recursive: true, force: true });
});

/** Writes files into a fresh folder under `parent` (repository-relative); returns the folder. */
function plant(parent: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(repoRoot, parent, 'lint-probe-'));
  planted.push(dir);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('npm run lint', () => {
  it('passes on the committed tree', () => {
    const { status, output } = lint();
    expect(output).toContain('no dependency violations found');
    expect(status).toBe(0);
  });

  it('fails on a lint rule, on unformatted code, on a core module importing the gateway and on an import cycle', () => {
    plant('app', {
      'any.ts': 'export const value: any = 1;\n',
      'format.ts': 'export const value = "double quotes"\n',
    });
    plant('app/catalog', { 'edge.ts': "export { registerProbes } from '../../gateway/probes.js';\n" });
    plant('platform', {
      'a.ts': "import { b } from './b.js';\n\nexport const a = (): number => b() + 1;\n",
      'b.ts': "import { a } from './a.js';\n\nexport const b = (): number => a() - 1;\n",
    });
    const biome = lint();
    expect(biome.status).not.toBe(0);
    expect(biome.output).toContain('noExplicitAny');
    expect(biome.output).toMatch(/format/i);
    // Biome stops the script first; the import rules are checked on their own to see each one fire.
    const imports = spawnSync('npx', ['depcruise', 'app', 'platform', '--config', '.dependency-cruiser.cjs'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(imports.status).not.toBe(0);
    expect(imports.stdout).toContain('core-not-to-gateway');
    expect(imports.stdout).toContain('no-cycles');
  });
});
