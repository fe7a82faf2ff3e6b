/**
 * npm run bench:answers — the answer evaluations as JSON: the procedure set (demo and generated
 * manuals), and the unseen-layouts set (./answers/unseen/) per extractor, development and held-out
 * parts side by side. `--cases` lists every case; otherwise only the failing ones.
 */
import { evaluateProcedures } from './answers/evaluate.js';
import { evaluateUnseen } from './answers/unseen/evaluate.js';
import { DEVELOPMENT } from './answers/unseen/development.js';
import { HELD_OUT } from './answers/unseen/held-out.js';
import { launchChromium } from '../test/harness/chromium.js';

const verbose = process.argv.includes('--cases');
const only = process.argv.find((a) => a.startsWith('--part='))?.slice('--part='.length);
const report = only ? undefined : await evaluateProcedures();
const browser = await launchChromium();
try {
  const development = only === 'held-out' ? undefined : await evaluateUnseen(DEVELOPMENT, browser);
  const heldOut = only === 'development' ? undefined : await evaluateUnseen(HELD_OUT, browser);
  const brief = <T extends { failures: unknown[] }>(r: T) => (verbose ? r : { ...r, failures: r.failures.length });
  console.log(
    JSON.stringify(
      {
        ...(report
          ? {
              procedureSet: verbose
                ? report
                : { ...report, results: report.results.filter((r) => r.missing.length > 0 || !r.citedExactly) },
            }
          : {}),
        unseen: {
          ...(development ? { development: development.map(brief) } : {}),
          ...(heldOut ? { heldOut: heldOut.map(brief) } : {}),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
}
