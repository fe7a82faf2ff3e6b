/** The weekly regression check: the comparison rules, the command's exit codes, and the committed baseline. */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/render/synth.js';
import {
  baselineSchema,
  compare,
  lookup,
  readReport,
  updatedBaseline,
  type Baseline,
} from '../../scripts/bench-regression.js';
import { tempDir } from '../harness/index.js';

const run = promisify(execFile);

const baseline: Baseline = {
  recordedOn: '2026-11-29',
  tolerance: 0.25,
  figures: [
    { report: 'predict', path: 'speedVsFuse.p50', baseline: 200, better: 'higher' },
    { report: 'predict', path: 'engines.0.p99Ms', baseline: 4, better: 'lower', tolerance: 1 },
    { report: 'manuals', path: 'retrieval.recallAt3', baseline: 0.9, better: 'higher', tolerance: 0.02 },
  ],
};
const report = (speed: number, p99: number, recall: number) => ({
  predict: { speedVsFuse: { p50: speed }, engines: [{ p99Ms: p99 }] },
  manuals: { retrieval: { recallAt3: recall } },
});

describe('compare', () => {
  it('passes figures within tolerance in either direction', () => {
    expect(compare(baseline, report(151, 7.9, 0.883)).every((r) => r.ok)).toBe(true);
  });

  it('fails a higher-is-better figure below its limit and a lower-is-better one above it', () => {
    const rows = compare(baseline, report(149, 8.1, 0.9));
    expect(rows.filter((r) => !r.ok).map((r) => r.figure)).toEqual([
      'predict:speedVsFuse.p50',
      'predict:engines.0.p99Ms',
    ]);
    expect(rows[0]!.limit).toBe(150);
    expect(rows[1]!.limit).toBe(8);
  });

  it('uses a figure’s own tolerance, and fails a figure that is missing from the report', () => {
    expect(compare(baseline, report(300, 1, 0.87)).find((r) => r.figure.startsWith('manuals'))!.ok).toBe(false);
    const missing = compare(baseline, { predict: { speedVsFuse: {} }, manuals: {} });
    expect(missing.every((r) => !r.ok && r.current === undefined)).toBe(true);
  });

  it('reads dotted paths through arrays and ignores non-numbers', () => {
    expect(lookup({ a: [{ b: 2 }] }, 'a.0.b')).toBe(2);
    expect(lookup({ a: { b: '2' } }, 'a.b')).toBeUndefined();
    expect(readReport('> hsc-jit@0.1.0 bench\n{"x": 1}')).toEqual({ x: 1 });
  });

  it('rebases every figure on --update, refusing a report without one', () => {
    const next = updatedBaseline(baseline, report(180, 3, 0.95), '2026-12-01');
    expect(next.figures.map((f) => f.baseline)).toEqual([180, 3, 0.95]);
    expect(() => updatedBaseline(baseline, { predict: {}, manuals: {} }, 'x')).toThrow(
      /predict:speedVsFuse.p50 is not in this run's report/,
    );
  });
});

describe('the command', () => {
  it('exits 1 naming the regressed figure, 0 when all hold', async () => {
    const dir = await tempDir('bench-regression');
    try {
      const baselineFile = join(dir.path, 'baseline.json');
      writeFileSync(baselineFile, JSON.stringify(baseline));
      const write = (name: string, value: unknown) => {
        writeFileSync(join(dir.path, name), JSON.stringify(value));
        return join(dir.path, name);
      };
      const good = report(210, 3, 0.91);
      const args = (r: ReturnType<typeof report>) => [
        'tsx',
        'scripts/bench-regression.ts',
        '--baseline',
        baselineFile,
        `predict=${write('p.json', r.predict)}`,
        `manuals=${write('m.json', r.manuals)}`,
      ];
      const ok = await run('npx', args(good), { cwd: repoRoot });
      expect(ok.stdout).toContain('"regressions":[]');
      const failed = await run('npx', args(report(100, 3, 0.91)), { cwd: repoRoot }).catch(
        (e: { code: number; stdout: string }) => e,
      );
      expect('code' in failed && failed.code).toBe(1);
      expect(failed.stdout).toMatch(/FAIL\s+predict:speedVsFuse\.p50/);
    } finally {
      await dir.remove();
    }
  });
});

describe('the committed baseline', () => {
  const committed = baselineSchema.parse(
    JSON.parse(readFileSync(join(repoRoot, '.github/bench-baseline.json'), 'utf8')),
  );

  it('names only reports the bench workflow produces, each figure once', () => {
    const workflow = readFileSync(join(repoRoot, '.github/workflows/bench.yml'), 'utf8');
    const compareStep = (
      parse(workflow) as { jobs: { bench: { steps: Array<{ run?: string }> } } }
    ).jobs.bench.steps.find((s) => s.run?.includes('bench-regression.ts'))!.run!;
    const produced = [...compareStep.matchAll(/(\w+)=(\S+\.json)/g)].map((m) => m[1]);
    expect(new Set(committed.figures.map((f) => f.report))).toEqual(new Set(produced));
    const keys = committed.figures.map((f) => `${f.report}:${f.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
