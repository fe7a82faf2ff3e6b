/**
 * `npm run eval:predict`: the product finder judged on the typing set (default: the held-out part;
 * `-- dev` for the development part). Prints one JSON object: recall@1/@5 on catalog queries (recall@1
 * counts only a right first row that is not "not found"), the share of not-in-catalog queries that end
 * in "not found", how brand-only queries and single letters are answered, the reliability table of the
 * shown confidence (10 equal-width bins) and its expected calibration error.
 */
import { fileURLToPath } from 'node:url';
import { CATALOG_RULES, cleanRecord } from '../../app/core/catalog/clean.js';
import type { Product } from '../../app/core/catalog/product.js';
import { readDemoManifest } from '../../app/core/manuals/demo/manifest.js';
import { Finder, type Finding, type FinderRow, isSelectable } from '../../app/core/prediction/finder.js';
import { createPredictor } from '../../app/core/prediction/index.js';
import type { Calibrator } from '../../app/core/prediction/calibration.js';
import { loadBundledCatalog } from '../queries/catalog.js';
import { DEV_FILE, HELD_OUT_FILE, readTypingSet, type TypingQuery } from './typing-set.js';

const BINS = 10;

/** The bundled catalog cleaned as the import cleans it, and which products have a (demo) manual. */
export async function evaluationCatalog(): Promise<{ products: Product[]; hasManual: (p: Product) => boolean }> {
  const products = loadBundledCatalog().map((p) => cleanRecord(p).product);
  const demo = new Set((await readDemoManifest()).manuals.map((m) => m.productId));
  return { products, hasManual: (p) => p.manualUrl !== undefined || demo.has(p.id) };
}

export function buildFinder(
  products: readonly Product[],
  hasManual: (p: Product) => boolean,
  calibrator?: Calibrator,
): Finder {
  return new Finder(createPredictor(products), products, hasManual, calibrator);
}

function topProduct(finding: Finding) {
  return finding.rows.find(isSelectable);
}

/** The products a row may end in: itself, or any of a family's variants. */
function idsOf(row: FinderRow): string[] {
  return row.kind === 'product' ? [row.productId] : row.kind === 'family' ? row.variants.map((v) => v.productId) : [];
}

/** Is the top product the one meant (false for queries whose answer is a brand or "not found")? */
export function topIsRight(query: TypingQuery, finding: Finding): boolean {
  const top = topProduct(finding);
  if (query.expect.type !== 'product' || !top) return false;
  const ids = new Set(query.expect.ids);
  // A family row is right when the family holds the product meant.
  return idsOf(top).some((id) => ids.has(id));
}

export interface Reliability {
  bin: string;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export function reliability(samples: readonly { confidence: number; correct: boolean }[]): {
  table: Reliability[];
  ece: number;
} {
  const bins = Array.from({ length: BINS }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (const s of samples) {
    const b = bins[Math.min(BINS - 1, Math.floor(s.confidence * BINS))]!;
    b.count++;
    b.confidence += s.confidence;
    b.correct += s.correct ? 1 : 0;
  }
  let ece = 0;
  const table = bins.map((b, i) => {
    const meanConfidence = b.count ? b.confidence / b.count : 0;
    const accuracy = b.count ? b.correct / b.count : 0;
    ece += (b.count / Math.max(1, samples.length)) * Math.abs(meanConfidence - accuracy);
    return { bin: `${(i / BINS).toFixed(1)}-${((i + 1) / BINS).toFixed(1)}`, count: b.count, meanConfidence, accuracy };
  });
  return { table, ece };
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

export function evaluate(finder: Finder, queries: readonly TypingQuery[]) {
  let catalog = 0;
  let at1 = 0;
  let at5 = 0;
  let wronglyNotFound = 0;
  let absent = 0;
  let absentNotFound = 0;
  let brandQueries = 0;
  let brandAnswered = 0;
  let brandConfidentProduct = 0;
  const misses: { text: string; kind: string; got: string }[] = [];
  const samples: { confidence: number; correct: boolean }[] = [];
  const displayOf = (raw: string) => CATALOG_RULES.brand(raw).display;
  for (const query of queries) {
    const finding = finder.find(query.text);
    const top = topProduct(finding);
    const right = topIsRight(query, finding);
    samples.push({ confidence: top?.confidence ?? 0, correct: right });
    const notFound = finding.notFound !== undefined;
    const got = finding.notFound
      ? `not found${finding.notFound.uncarriedBrand ? ` (${finding.notFound.uncarriedBrand})` : ''}`
      : finding.rows[0]?.kind === 'brand'
        ? `brand ${finding.rows[0].brand}`
        : `${top?.name} ${top?.confidence}`;
    if (query.expect.type === 'product') {
      catalog++;
      const ids = new Set(query.expect.ids);
      const rows = finding.rows.filter(isSelectable).slice(0, 5);
      if (right && !notFound) at1++;
      else misses.push({ text: query.text, kind: query.kind, got });
      if (rows.some((r) => idsOf(r).some((id) => ids.has(id)))) at5++;
      if (notFound) wronglyNotFound++;
    } else if (query.expect.type === 'not-found') {
      absent++;
      if (notFound) absentNotFound++;
      else misses.push({ text: query.text, kind: query.kind, got });
    } else {
      brandQueries++;
      const wanted = new Set(query.expect.brands.map(displayOf));
      const first = finding.rows[0];
      if (first?.kind === 'brand' && wanted.has(first.brand)) brandAnswered++;
      else misses.push({ text: query.text, kind: query.kind, got });
      if (!notFound && first !== undefined && isSelectable(first)) brandConfidentProduct++;
    }
  }
  const { table, ece } = reliability(samples);
  return {
    queries: queries.length,
    catalogQueries: catalog,
    recallAt1: round(at1 / Math.max(1, catalog)),
    recallAt5: round(at5 / Math.max(1, catalog)),
    catalogWronglyNotFound: round(wronglyNotFound / Math.max(1, catalog)),
    notInCatalogQueries: absent,
    notInCatalogEndNotFound: round(absentNotFound / Math.max(1, absent)),
    brandQueries,
    brandAnsweredWithBrand: round(brandAnswered / Math.max(1, brandQueries)),
    brandAnsweredWithProduct: brandConfidentProduct,
    ece: round(ece),
    reliability: table.map((r) => ({ ...r, meanConfidence: round(r.meanConfidence), accuracy: round(r.accuracy) })),
    misses,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const part = process.argv[2] === 'dev' ? 'dev' : 'held-out';
  const { products, hasManual } = await evaluationCatalog();
  const finder = buildFinder(products, hasManual);
  const result = evaluate(finder, readTypingSet(part === 'dev' ? DEV_FILE : HELD_OUT_FILE));
  const showMisses = process.argv.includes('--misses');
  console.log(
    JSON.stringify(
      { part, heldOutCommit: '7a7b8fc', ...result, misses: showMisses ? result.misses : result.misses.length },
      null,
      showMisses ? 1 : 2,
    ),
  );
}
