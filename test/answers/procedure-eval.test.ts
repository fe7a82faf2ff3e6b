/**
 * The procedure evaluation (bench/answers): how-to questions over the demo manuals and generated
 * service manuals (numbered steps, labelled cautions and notes, distractor procedures, procedures that
 * cross a page break), through the real pipeline (pdfkit → pdftotext → chunks → Postgres FTS on
 * PGlite → retrieval with context → extractive model). Every step and every caution must be in the
 * answer, the citations must be exactly the pages used, and no answer may be padded.
 */
import { describe, expect, it } from 'vitest';
import { evaluateProcedures } from '../../bench/answers/evaluate.js';

describe('extractive answers to how-to questions', () => {
  it('give whole procedures with their cautions, citing exactly the pages used', { timeout: 180_000 }, async () => {
    const report = await evaluateProcedures();
    const { results, ...figures } = report;
    console.log(JSON.stringify(figures));
    const misses = results.filter((r) => r.missing.length > 0 || !r.citedExactly);
    expect(misses, JSON.stringify(misses, null, 2)).toEqual([]);
    expect(report.cases).toBeGreaterThanOrEqual(25);
    expect(report.stepRecall).toBe(1);
    expect(report.cautionRecall).toBe(1);
    expect(report.citationExactRate).toBe(1);
    // Each answer stays close to what it had to say (the steps and cautions) rather than the whole page.
    expect(report.maxLengthRatio).toBeLessThanOrEqual(2);
  });
});
