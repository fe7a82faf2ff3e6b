/**
 * `npm run lint` (Biome's rules and formatting, the import rules in .dependency-cruiser.cjs generated from
 * the layer table scripts/layers.cjs, then scripts/folder-cycles.ts) is a gate in .ci/run and the CI
 * workflow: it passes on the tree as committed, and the same tools with the same configuration fail on a
 * planted violation of each kind, so the gate cannot pass vacuously. The violations are planted in a
 * scratch copy of the layout, never in the working tree, where tests running alongside (the architecture
 * diagram, the image context) would see them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/render/synth.js';
import { folderCycleProblems } from '../../scripts/folder-cycles.js';
import { tempDir, type TempDir } from '../harness/index.js';

const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000 });
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
    'app/edges/gateway/probes.ts': 'export const registerProbes = (): void => {};\n',
    'app/core/catalog/edge.ts': "export { registerProbes } from '../../edges/gateway/probes.js';\n",
    'platform/a.ts': "import { b } from './b.js';\n\nexport const a = (): number => b() + 1;\n",
    'platform/b.ts': "import { a } from './a.js';\n\nexport const b = (): number => a() - 1;\n",
    // The layers the rules below are about, each file in its place.
    'app/core/catalog/product.ts': 'export type Product = { id: string };\nexport const products: Product[] = [];\n',
    'app/shared/protocol.ts': 'export const PROTOCOL_VERSION = 5;\nexport type Hello = { version: number };\n',
    'app/shared/config.ts': 'export type AppSettings = { LOG_LEVEL: string };\n',
    'app/composition/runtime.ts': 'export const start = (): void => {};\n',
    // Shared code importing the core above it.
    'app/shared/log.ts':
      "import { products } from '../core/catalog/product.js';\n\nexport const count = products.length;\n",
    // The UI: protocol types with `import type` pass; a protocol value and any other server module do not.
    'app/web/src/types.ts': "import type { Hello } from '../../shared/protocol.ts';\n\nexport type Greeting = Hello;\n",
    'app/web/src/version.ts':
      "import { PROTOCOL_VERSION } from '../../shared/protocol.ts';\n\nexport const v = PROTOCOL_VERSION;\n",
    'app/web/src/config.ts':
      "import type { AppSettings } from '../../shared/config.ts';\n\nexport type S = AppSettings;\n",
    // The platform starting the app's runtime.
    'platform/boot.ts': "import { start } from '../app/composition/runtime.js';\n\nexport const boot = start;\n",
    // stacks/: the config schema's types pass; a Node built-in and the platform do not.
    'stacks/settings.ts':
      "import type { AppSettings } from '../app/shared/config.js';\n\nexport type S = AppSettings;\n",
    'stacks/pins.ts':
      "import { readFileSync } from 'node:fs';\n\nexport const pins = readFileSync('pins.json', 'utf8');\n",
    'stacks/render.ts': "import { a } from '../platform/a.js';\n\nexport const rendered = a();\n",
    // A folder cycle without a file cycle: alpha/one → beta/two, beta/three → alpha/four.
    'app/alpha/one.ts': "import { two } from '../beta/two.js';\n\nexport const one = two + 1;\n",
    'app/alpha/four.ts': 'export const four = 4;\n',
    'app/beta/two.ts': 'export const two = 2;\n',
    'app/beta/three.ts': "import { four } from '../alpha/four.js';\n\nexport const three = four - 1;\n",
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

  describe("the repository's import rules, on planted violations", () => {
    let output = '';
    let status: number | null = null;
    beforeAll(() => {
      const config = join(repoRoot, '.dependency-cruiser.cjs');
      ({ status, output } = run(bin('depcruise'), ['app', 'platform', 'stacks', '--config', config], scratch.path));
      console.log(output);
    });
    const violation = (rule: string, from: string, to: string) =>
      new RegExp(`error ${rule}: ${from.replaceAll('.', '[.]')} → ${to.replaceAll('.', '[.]')}`);

    it('fails, and counts exactly the planted violations', () => {
      expect(status).not.toBe(0);
      expect(output).toMatch(/x 8 dependency violations/);
    });

    it('a file import cycle and a core module importing the gateway', () => {
      expect(output).toContain('no-cycles');
      expect(output).toMatch(violation('core-imports', 'app/core/catalog/edge.ts', 'app/edges/gateway/probes.ts'));
    });

    it('shared code importing anything above it', () => {
      expect(output).toMatch(violation('shared-imports', 'app/shared/log.ts', 'app/core/catalog/product.ts'));
    });

    it('the UI importing anything but protocol types', () => {
      expect(output).toMatch(violation('ui-type-only', 'app/web/src/version.ts', 'app/shared/protocol.ts'));
      expect(output).toMatch(violation('ui-imports', 'app/web/src/config.ts', 'app/shared/config.ts'));
      expect(output).not.toContain('app/web/src/types.ts');
    });

    it("the platform importing the app's runtime", () => {
      expect(output).toMatch(violation('platform-imports', 'platform/boot.ts', 'app/composition/runtime.ts'));
    });

    it('stacks/ importing anything but its own modules and the config types: a Node built-in, the platform', () => {
      expect(output).toMatch(violation('stacks-imports', 'stacks/pins.ts', 'fs'));
      expect(output).toMatch(violation('stacks-imports', 'stacks/render.ts', 'platform/a.ts'));
      expect(output).not.toContain('stacks/settings.ts');
    });
  });

  it('fails on a cycle between folders that is no file cycle (scripts/folder-cycles.ts)', () => {
    const { status, output } = run(bin('tsx'), [join(repoRoot, 'scripts/folder-cycles.ts')], scratch.path);
    expect(status).not.toBe(0);
    expect(output).toContain('folder cycle between app/alpha, app/beta: app/alpha → app/beta, app/beta → app/alpha');
  });

  it('reports an allowed folder import that no longer exists, so the allow-list only shrinks', async () => {
    const problems = await folderCycleProblems(scratch.path, [
      { from: 'app/beta', to: 'app/alpha', why: 'planted' },
      { from: 'app/alpha', to: 'app/core/catalog', why: 'planted' },
    ]);
    // The allowed edge hides the alpha ↔ beta loop; the one matching no import is reported.
    expect(problems.filter((problem) => problem.includes('app/alpha, app/beta'))).toEqual([]);
    expect(problems).toContain(
      'allowed folder import app/alpha → app/core/catalog no longer exists: remove it from scripts/folder-cycles.ts',
    );
  });
});
