/**
 * The predictor at distributor scale (part of `npm run bench:catalog`): for the bundled catalog and
 * synthetic catalogs of each size (bench/queries/catalog.ts grows them from the real vocabulary), the
 * time (wall and CPU) to build the ranker's index and the finder (families, brand lexicon), the memory
 * they hold per product (JS heap and ArrayBuffers, with --expose-gc after a full collection), and the
 * keystroke latency of the finder,
 * uncached, on every prefix of the development typing set's queries. The bundled catalog runs in the
 * same process as the peer: `p99VsBundled` is the ratio the target (≤ 2×) is read from, `p50VsBundled`
 * the typical keystroke's. `fullNameRecallAt1/5`: 200 products drawn from the catalog, typed in full
 * (brand and name), found first / in the top 5 by the ranker (a product sharing the brand and name
 * counts): what bounding a keystroke's work at scale must not cost.
 */
import { cleanRecord } from '../app/core/catalog/clean.js';
import type { Product } from '../app/core/catalog/product.js';
import { Finder } from '../app/core/prediction/finder.js';
import { createPredictor } from '../app/core/prediction/index.js';
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

function measure(label: string, products: readonly Product[], typed: readonly string[]) {
  const before = heapMB();
  let start = performance.now();
  let cpu = cpuSeconds();
  const predictor = createPredictor(products);
  const indexSeconds = (performance.now() - start) / 1000;
  const indexCpu = cpuSeconds() - cpu;
  start = performance.now();
  cpu = cpuSeconds();
  const finder = new Finder(predictor, products, (p) => p.manualUrl !== undefined);
  const finderSeconds = (performance.now() - start) / 1000;
  const finderCpu = cpuSeconds() - cpu;
  const held = heapMB() - before;
  for (const text of typed.slice(0, 200)) finder.find(text); // warm-up
  const ms: number[] = [];
  for (const text of typed) {
    const t = performance.now();
    finder.find(text);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const random = mulberry32(25);
  let first = 0;
  let topFive = 0;
  const samples = 200;
  for (let i = 0; i < samples; i++) {
    const wanted = pick(random, products);
    const found = predictor.predict(`${wanted.brand} ${wanted.name}`, 5);
    const same = (item: { brand: string; name: string }) => item.brand === wanted.brand && item.name === wanted.name;
    if (found[0] && same(found[0])) first++;
    if (found.some(same)) topFive++;
  }
  return {
    catalog: label,
    products: products.length,
    indexBuildSeconds: round(indexSeconds, 2),
    indexBuildCpuSeconds: round(indexCpu, 2),
    finderBuildSeconds: round(finderSeconds, 2),
    finderBuildCpuSeconds: round(finderCpu, 2),
    heapHeldMB: gc ? round(held) : null,
    bytesPerProduct: gc ? Math.round((held * 1048576) / products.length) : null,
    keystrokes: ms.length,
    keystrokeP50Ms: round(percentile(ms, 0.5), 3),
    keystrokeP99Ms: round(percentile(ms, 0.99), 3),
    fullNameRecallAt1: round(first / samples, 3),
    fullNameRecallAt5: round(topFive / samples, 3),
  };
}

export function benchPredictorScale(sizes: readonly number[], keystrokeCount = 4_000) {
  const real = loadBundledCatalog().map((p) => cleanRecord(p).product);
  const typed = keystrokes(keystrokeCount);
  const bundled = measure('bundled', real, typed);
  const scaled = sizes.map((size) => {
    const products = syntheticCatalog(real, size).map((p) => cleanRecord(p).product);
    const result = measure(`synthetic ${size}`, products, typed);
    return {
      ...result,
      p50VsBundled: round(result.keystrokeP50Ms / bundled.keystrokeP50Ms, 2),
      p99VsBundled: round(result.keystrokeP99Ms / bundled.keystrokeP99Ms, 2),
    };
  });
  return { gcExposed: gc !== undefined, bundled, scaled };
}
