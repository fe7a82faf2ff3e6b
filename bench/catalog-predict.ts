/**
 * The predictor at distributor scale (part of `npm run bench:catalog`): for the bundled catalog and
 * synthetic catalogs of each size (bench/queries/catalog.ts grows them from the real vocabulary), the
 * time (wall and CPU) to build the ranker's index and the finder (families, brand lexicon), the memory
 * they hold per product (JS heap and ArrayBuffers, with --expose-gc after a full collection), and the
 * keystroke latency of the finder on every prefix of the development typing set's queries, typed in
 * order as a customer types them (no cached predictions; the ranker's own recent searches, as in
 * production). Each catalog gets PASSES passes with a new predictor and finder, alternating with
 * passes over the bundled catalog, its peer in the same run; figures are medians over passes.
 * `p99VsBundled` is the ratio the target (≤ 2×) is read from, `p50VsBundled` the typical keystroke's. `fullNameRecallAt1/5`: 200 products drawn from the catalog, typed in full
 * (brand and name), found first / in the top 5 by the ranker (a product sharing the brand and name
 * counts): what bounding a keystroke's work at scale must not cost.
 */
import { cleanRecord } from '../app/core/catalog/clean.js';
import type { Product } from '../app/core/catalog/product.js';
import { Finder } from '../app/core/prediction/finder.js';
import { buildCatalogIndex, type CatalogIndex } from '../app/core/prediction/catalog-index.js';
import { RankingPredictor } from '../app/core/prediction/predictor.js';
import { DEV_FILE, readTypingSet } from './eval/typing-set.js';
import { loadBundledCatalog, syntheticCatalog } from './queries/catalog.js';
import { mulberry32, pick } from './queries/random.js';

const gc = (globalThis as { gc?: () => void }).gc;
/** JS heap plus ArrayBuffers (the index's typed arrays live there, outside the heap). */
const heapMB = () => {
  gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 1048576;
};
/** CPU seconds of this process: on a shared, loaded machine wall time mostly measures the others. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Every prefix a customer types on the way to each query ("m", "mp", "mpc", …), capped. */
function keystrokes(limit: number): string[] {
  const out: string[] = [];
  for (const query of readTypingSet(DEV_FILE)) {
    for (let i = 1; i <= query.text.length && out.length < limit; i++) out.push(query.text.slice(0, i));
  }
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Keystroke passes per catalog, alternating between the bundled catalog and the scaled one. */
const PASSES = 3;

interface Built {
  products: readonly Product[];
  index: CatalogIndex;
  build: {
    indexBuildSeconds: number;
    indexBuildCpuSeconds: number;
    finderBuildSeconds: number;
    finderBuildCpuSeconds: number;
  };
  heldMB: number;
  /** The finder built with the index, for the first pass; later passes build their own. */
  fresh: Finder | undefined;
}

function build(products: readonly Product[]): Built {
  const before = heapMB();
  let start = performance.now();
  let cpu = cpuSeconds();
  const index = buildCatalogIndex(products);
  const predictor = new RankingPredictor(index);
  const indexSeconds = (performance.now() - start) / 1000;
  const indexCpu = cpuSeconds() - cpu;
  start = performance.now();
  cpu = cpuSeconds();
  const finder = newFinder(predictor, products);
  const finderSeconds = (performance.now() - start) / 1000;
  const finderCpu = cpuSeconds() - cpu;
  return {
    products,
    index,
    heldMB: heapMB() - before,
    fresh: finder,
    build: {
      indexBuildSeconds: round(indexSeconds, 2),
      indexBuildCpuSeconds: round(indexCpu, 2),
      finderBuildSeconds: round(finderSeconds, 2),
      finderBuildCpuSeconds: round(finderCpu, 2),
    },
  };
}

function newFinder(predictor: RankingPredictor, products: readonly Product[]): Finder {
  return new Finder(predictor, products, (p) => p.manualUrl !== undefined);
}

/**
 * One pass over the keystrokes with a new predictor and finder (nothing kept from an earlier pass):
 * milliseconds per keystroke, sorted.
 */
function keystrokePass(built: Built, typed: readonly string[]): number[] {
  const finder = built.fresh ?? newFinder(new RankingPredictor(built.index), built.products);
  built.fresh = undefined;
  for (const text of typed.slice(0, 200)) finder.find(text); // warm-up
  const ms: number[] = [];
  for (const text of typed) {
    const t = performance.now();
    finder.find(text);
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b);
}

/** The median over passes of a percentile of each pass. */
function medianOf(passes: readonly number[][], p: number): number {
  const values = passes.map((ms) => percentile(ms, p)).sort((a, b) => a - b);
  return round(values[Math.floor(values.length / 2)]!, 3);
}

function fullNameRecall(built: Built) {
  const predictor = new RankingPredictor(built.index);
  const random = mulberry32(25);
  let first = 0;
  let topFive = 0;
  const samples = 200;
  for (let i = 0; i < samples; i++) {
    const wanted = pick(random, built.products);
    const found = predictor.predict(`${wanted.brand} ${wanted.name}`, 5);
    const same = (item: { brand: string; name: string }) => item.brand === wanted.brand && item.name === wanted.name;
    if (found[0] && same(found[0])) first++;
    if (found.some(same)) topFive++;
  }
  return { fullNameRecallAt1: round(first / samples, 3), fullNameRecallAt5: round(topFive / samples, 3) };
}

function describe(label: string, built: Built, passes: readonly number[][]) {
  return {
    catalog: label,
    products: built.products.length,
    ...built.build,
    heapHeldMB: gc ? round(built.heldMB) : null,
    bytesPerProduct: gc ? Math.round((built.heldMB * 1048576) / built.products.length) : null,
    keystrokes: passes[0]!.length,
    keystrokeP50Ms: medianOf(passes, 0.5),
    keystrokeP99Ms: medianOf(passes, 0.99),
    ...fullNameRecall(built),
  };
}

export function benchPredictorScale(sizes: readonly number[], keystrokeCount = 4_000) {
  const real = loadBundledCatalog().map((p) => cleanRecord(p).product);
  const typed = keystrokes(keystrokeCount);
  const bundled = build(real);
  const bundledPasses: number[][] = [];
  const scaled = sizes.map((size) => {
    const built = build(syntheticCatalog(real, size).map((p) => cleanRecord(p).product));
    // Paired passes: the bundled catalog's alternate with this one's, so a slower spell of a shared
    // machine falls on both; the ratio is of the medians over passes of this pairing.
    const own: number[][] = [];
    const peer: number[][] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      peer.push(keystrokePass(bundled, typed));
      own.push(keystrokePass(built, typed));
    }
    bundledPasses.push(...peer);
    const result = describe(`synthetic ${size}`, built, own);
    const p50 = medianOf(peer, 0.5);
    const p99 = medianOf(peer, 0.99);
    return {
      ...result,
      bundledP50Ms: p50,
      bundledP99Ms: p99,
      p50VsBundled: round(result.keystrokeP50Ms / p50, 2),
      p99VsBundled: round(result.keystrokeP99Ms / p99, 2),
    };
  });
  if (bundledPasses.length === 0) bundledPasses.push(keystrokePass(bundled, typed));
  return { gcExposed: gc !== undefined, passes: PASSES, bundled: describe('bundled', bundled, bundledPasses), scaled };
}
