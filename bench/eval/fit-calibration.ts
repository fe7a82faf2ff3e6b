/**
 * Fits the shown confidence's calibration on the DEVELOPMENT typing set only, and writes it to
 * app/core/prediction/calibration.json (shipped as data). Per query class, an isotonic regression of "the top
 * row is the product meant" on the ranker's raw score.
 *
 * Run: `tsx bench/eval/fit-calibration.ts`, then `npm run eval:predict` judges it on the held-out part.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Calibrator,
  type CalibrationData,
  type Curve,
  fitIsotonic,
  QUERY_CLASSES,
  type QueryClass,
} from '../../app/core/prediction/calibration.js';
import { buildFinder, evaluationCatalog, topIsRight } from './evaluate.js';
import { DEV_FILE, readTypingSet } from './typing-set.js';

const OUTPUT = fileURLToPath(new URL('../../app/core/prediction/calibration.json', import.meta.url));

/** Passes the raw score through and remembers the first one of each query (its top row's). */
class Recorder extends Calibrator {
  private first: { queryClass: QueryClass; raw: number } | undefined;
  override calibrate(queryClass: QueryClass, raw: number): number {
    this.first ??= { queryClass, raw };
    return raw;
  }
  take(): { queryClass: QueryClass; raw: number } | undefined {
    const first = this.first;
    this.first = undefined;
    return first;
  }
}

const { products, hasManual } = await evaluationCatalog();
const recorder = new Recorder();
const finder = buildFinder(products, hasManual, recorder);
const samples = Object.fromEntries(QUERY_CLASSES.map((c) => [c, [] as { raw: number; correct: boolean }[]]));
for (const query of readTypingSet(DEV_FILE)) {
  const finding = finder.find(query.text);
  const first = recorder.take();
  // A query naming a brand the catalog lacks shows no product: nothing to calibrate.
  if (!first || finding.notFound?.uncarriedBrand !== undefined) continue;
  samples[first.queryClass]!.push({ raw: first.raw, correct: topIsRight(query, finding) });
}
const curves = Object.fromEntries(QUERY_CLASSES.map((c) => [c, fitIsotonic(samples[c]!)])) as Record<QueryClass, Curve>;
const data: CalibrationData = { fittedOn: 'bench/eval/typing-dev.json', curves };
// Numbers on one line per array, as the formatter (biome) keeps them.
const json = JSON.stringify(data, null, 2).replace(
  /\[\s*([-\d.,\s]+?)\s*\]/g,
  (_, list: string) => `[${list.split(/,\s*/).join(', ')}]`,
);
writeFileSync(OUTPUT, `${json}\n`);
console.log(
  JSON.stringify(
    Object.fromEntries(QUERY_CLASSES.map((c) => [c, { samples: samples[c]!.length, points: curves[c].x.length }])),
  ),
);
