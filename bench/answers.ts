/** npm run bench:answers — the procedure evaluation (step and caution recall, citations, length) as JSON. */
import { evaluateProcedures } from './answers/evaluate.js';

const report = await evaluateProcedures();
const verbose = process.argv.includes('--cases');
console.log(
  JSON.stringify(
    verbose ? report : { ...report, results: report.results.filter((r) => r.missing.length > 0 || !r.citedExactly) },
    null,
    2,
  ),
);
