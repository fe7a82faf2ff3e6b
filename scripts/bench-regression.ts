/**
 * The scheduled performance regression check (.github/workflows/bench.yml): compares figures of this
 * run's benchmark reports with the stored baseline (.github/bench-baseline.json) and fails when one
 * regressed beyond its tolerance. The chosen figures are ratios against a peer measured in the same run
 * and quality figures (recall, hit rate), which survive a change of machine; raw milliseconds do not.
 *
 *   npx tsx scripts/bench-regression.ts --baseline .github/bench-baseline.json predict=predict.json manuals=manuals.json
 *   … --update   rewrites the baseline values from this run (a reviewed pull request, after a deliberate change)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const figureSchema = z
  .object({
    /** Which report (the name given on the command line). */
    report: z.string().min(1),
    /** Dotted path into the report's JSON (numeric segments index arrays). */
    path: z.string().min(1),
    baseline: z.number().finite(),
    better: z.enum(['higher', 'lower']),
    /** Overrides the file's tolerance for a noisier figure. */
    tolerance: z.number().min(0).max(10).optional(),
    why: z.string().optional(),
  })
  .strict();

export const baselineSchema = z
  .object({
    $comment: z.string().optional(),
    recordedOn: z.string().min(1),
    /** Allowed relative regression: 0.25 = a quarter worse than the baseline. */
    tolerance: z.number().min(0).max(10),
    figures: z.array(figureSchema).min(1),
  })
  .strict();

export type Baseline = z.infer<typeof baselineSchema>;

export interface Comparison {
  figure: string;
  baseline: number;
  current: number | undefined;
  /** The worst acceptable value. */
  limit: number;
  better: 'higher' | 'lower';
  ok: boolean;
}

export function lookup(report: unknown, path: string): number | undefined {
  let node: unknown = report;
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return typeof node === 'number' && Number.isFinite(node) ? node : undefined;
}

export function compare(baseline: Baseline, reports: Record<string, unknown>): Comparison[] {
  return baseline.figures.map((f) => {
    const tolerance = f.tolerance ?? baseline.tolerance;
    const limit = f.better === 'higher' ? f.baseline * (1 - tolerance) : f.baseline * (1 + tolerance);
    const current = lookup(reports[f.report], f.path);
    // A figure that disappeared is a failure too: a renamed field must not silently end the check.
    const ok = current !== undefined && (f.better === 'higher' ? current >= limit : current <= limit);
    return { figure: `${f.report}:${f.path}`, baseline: f.baseline, current, limit, better: f.better, ok };
  });
}

export function updatedBaseline(baseline: Baseline, reports: Record<string, unknown>, recordedOn: string): Baseline {
  return {
    ...baseline,
    recordedOn,
    figures: baseline.figures.map((f) => {
      const current = lookup(reports[f.report], f.path);
      if (current === undefined) throw new Error(`${f.report}:${f.path} is not in this run's report`);
      return { ...f, baseline: current };
    }),
  };
}

function table(rows: Comparison[]): string {
  const lines = rows.map(
    (r) =>
      `${r.ok ? 'ok  ' : 'FAIL'}  ${r.figure.padEnd(58)} baseline ${String(r.baseline).padStart(9)}  now ${String(r.current ?? 'missing').padStart(9)}  limit ${r.better === 'higher' ? '>=' : '<='} ${r.limit.toFixed(3)}`,
  );
  return lines.join('\n');
}

/** The JSON object in a benchmark's stdout (npm may print a banner before it). */
export function readReport(text: string): unknown {
  const start = text.indexOf('{');
  if (start < 0) throw new Error('no JSON object in the report');
  return JSON.parse(text.slice(start));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({
    options: { baseline: { type: 'string' }, update: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (!values.baseline || positionals.length === 0) {
    console.error('usage: bench-regression.ts --baseline <file> [--update] <report>=<file.json>...');
    process.exit(2);
  }
  const parsed = baselineSchema.safeParse(JSON.parse(readFileSync(values.baseline, 'utf8')));
  if (!parsed.success) {
    console.error(
      `bench-regression: ${values.baseline}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
    process.exit(2);
  }
  const reports: Record<string, unknown> = {};
  for (const arg of positionals) {
    const [name, file] = arg.split('=');
    if (!name || !file) throw new Error(`expected <report>=<file>, got "${arg}"`);
    reports[name] = readReport(readFileSync(file, 'utf8'));
  }
  if (values.update) {
    writeFileSync(
      values.baseline,
      `${JSON.stringify(updatedBaseline(parsed.data, reports, new Date().toISOString().slice(0, 10)), null, 2)}\n`,
    );
    console.log(`baseline ${values.baseline} updated from this run`);
  } else {
    const rows = compare(parsed.data, reports);
    console.log(table(rows));
    const failed = rows.filter((r) => !r.ok);
    console.log(JSON.stringify({ figures: rows.length, regressions: failed.map((r) => r.figure) }));
    if (failed.length > 0) process.exit(1);
  }
}
