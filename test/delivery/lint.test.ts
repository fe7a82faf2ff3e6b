/**
 * `npm run lint` (Biome: lint rules and formatting) is a gate in .ci/run and the CI workflow: it passes on the
 * tree as committed and fails on a planted violation of each kind, so the gate cannot pass vacuously.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/synth.js';

function lint(): { status: number | null; output: string } {
  const run = spawnSync('npm', ['run', '-s', 'lint'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

let planted: string | undefined;
afterEach(() => {
  if (planted) rmSync(planted, { recursive: true, force: true });
  planted = undefined;
});

function plant(name: string, text: string): void {
  planted = mkdtempSync(join(repoRoot, 'app', '.lint-probe-'));
  writeFileSync(join(planted, name), text);
}

describe('npm run lint', () => {
  it('passes on the committed tree', () => {
    const { status, output } = lint();
    expect(output).not.toMatch(/error/i);
    expect(status).toBe(0);
  });

  it('fails on a lint rule violation, naming the rule', () => {
    plant('any.ts', 'export const value: any = 1;\n');
    const { status, output } = lint();
    expect(status).not.toBe(0);
    expect(output).toContain('noExplicitAny');
  });

  it('fails on unformatted code', () => {
    plant('format.ts', 'export const value = "double quotes"\n');
    const { status, output } = lint();
    expect(status).not.toBe(0);
    expect(output).toMatch(/format/i);
  });
});
