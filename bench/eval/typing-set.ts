/**
 * The typing evaluation set: what customers type into the product finder, labelled from the catalog
 * file itself, never from the predictor. Run `tsx bench/eval/typing-set.ts` to (re)write
 * `typing-heldout.json` and `typing-dev.json`; the same seed and catalog give the same files.
 *
 * - Catalog queries, per product family (rows with the same brand and name are one family: any of its
 *   ids is right): the name as printed, the model without the brand, the model code alone, missing or
 *   extra hyphens and spaces, keyboard-neighbour slips, dropped/swapped/doubled letters, a slip in the
 *   brand, prefixes that already single out one family.
 * - Brand-only queries ("roland", "alen heath") and single letters: the right answer is a brand (or,
 *   for a letter no carried brand starts with, "not found"), never a product.
 * - Queries for brands the catalog does not carry ("yamaha mg10xu", "korg") and for models it does not
 *   carry of brands it does ("pearl export"): the right answer is "not found".
 *
 * The split is by family (and by absent brand / absent model), so no family, brand or model of the
 * held-out part is seen while tuning on the development part.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { adjacentKey } from '../queries/labelled.js';
import { mulberry32, pick, shuffled } from '../queries/random.js';

export type Expectation =
  | { type: 'product'; ids: string[] }
  | { type: 'brand'; brands: string[] }
  | { type: 'not-found' };

export interface TypingQuery {
  text: string;
  kind: string;
  expect: Expectation;
}

interface RawProduct {
  id: string;
  brand: string;
  name: string;
}

const SEED = 20261207;
/** Families sampled for catalog queries (of ~2,700), and variants generated per family. */
const FAMILY_SAMPLE = 900;
const VARIANTS_PER_FAMILY = 2;

/** Brand words a customer leaves out ("Roland Commercial" is typed "roland"). */
const GENERIC_BRAND_WORDS = new Set(
  'commercial professional blueprint guitars guitar cymbals percussion effects and pedals leathers equipment stands ironworks basses ukuleles la fx'.split(
    ' ',
  ),
);

/**
 * Brands the bundled catalog does not carry, with models customers ask about (hand-written: these are
 * labels). A brand whose name is a word of the catalog (e.g. "Orange", a drum-head colour) is skipped
 * by `absentBrandQueries`, since its queries would not be unambiguous.
 */
const ABSENT_BRANDS: readonly [string, readonly string[]][] = [
  ['Yamaha', ['MG10XU', 'DTX402K', 'HS8', 'PSR-E373', 'P-125']],
  ['Korg', ['Minilogue XD', 'Kronos 2', 'Volca Beats', 'SV-2', 'TM-60']],
  ['Behringer', ['X32', 'Xenyx Q802USB', 'UMC404HD', 'TD-3']],
  ['Fender', ['Stratocaster', 'Blues Junior IV', 'Precision Bass', 'Mustang LT25']],
  ['Gibson', ['Les Paul Standard', 'SG Standard', 'J-45']],
  ['Shure', ['SM58', 'SM7B', 'Beta 52A', 'MV7']],
  ['Sennheiser', ['e835', 'HD 600', 'MD 421']],
  ['Zildjian', ['A Custom Crash 18', 'K Sweet Ride', 'ZBT Hi-Hat']],
  ['Sabian', ['AAX Crash', 'HHX Evolution Ride', 'B8X']],
  ['Tama', ['Imperialstar', 'Iron Cobra 900', 'Superstar Classic']],
  ['Ludwig', ['Supraphonic LM402', 'Accent Drive']],
  ['Ibanez', ['RG550', 'TS9 Tube Screamer', 'SR300E']],
  ['Marshall', ['DSL40CR', 'JCM800', 'Origin 20']],
  ['Line 6', ['Helix', 'POD Go', 'Spider V 60']],
  ['Focusrite', ['Scarlett 2i2', 'Clarett 8Pre']],
  ['Native Instruments', ['Maschine MK3', 'Komplete Kontrol S61']],
  ['Novation', ['Launchpad X', 'Launchkey 49']],
  ['Arturia', ['KeyStep 37', 'MiniLab 3', 'MicroFreak']],
  ['Elektron', ['Digitakt', 'Octatrack MKII']],
  ['Tascam', ['DR-40X', 'Model 12']],
  ['Rode', ['NT1-A', 'PodMic', 'Wireless GO II']],
  ['Neumann', ['U 87 Ai', 'TLM 103']],
  ['QSC', ['K12.2', 'TouchMix-8']],
  ['JBL', ['EON615', 'PRX815W', '305P MkII']],
  ['Casio', ['CT-S300', 'Privia PX-S1100']],
  ['Kawai', ['ES120', 'CA49']],
  ['Alesis', ['Strike Pro', 'Nitro Mesh']],
  ['Epiphone', ['Les Paul Standard 60s', 'Casino']],
  ['Squier', ['Classic Vibe Telecaster']],
  ['Taylor', ['214ce', 'GS Mini']],
  ['Martin', ['D-28', 'LX1E']],
  ['Meinl', ['Byzance Extra Dry Ride', 'HCS Cymbal Set']],
  ['Evans', ['G2 Clear', 'EMAD Bass']],
  ['Vic Firth', ['5A American Classic']],
  ['Gretsch', ['Catalina Maple', 'G5420T']],
  ['Sonor', ['AQ2 Bop', 'SQ1']],
  ['Mapex', ['Armory', 'Mars Birch']],
  ['Soundcraft', ['Signature 12', 'Ui24R']],
  ['Midas', ['M32R', 'MR18']],
  ['Peavey', ['6505', 'PVi 100']],
  ['Blackstar', ['HT-5R', 'ID Core 40']],
  ['Kemper', ['Profiler Stage']],
  ['Eventide', ['H9 Max']],
  ['Audient', ['iD14 MKII', 'EVO 4']],
  ['Genelec', ['8030C', '8341A']],
  ['Audio-Technica', ['AT2020', 'ATH-M50x']],
  ['AKG', ['C414 XLII', 'K240 Studio']],
  ['Beyerdynamic', ['DT 770 Pro', 'M 88']],
  ['Numark', ['Mixtrack Pro FX', 'Party Mix II']],
  ['Pioneer DJ', ['DDJ-FLX4', 'CDJ-3000']],
  ['Zoom', ['H6', 'R24', 'G5n']],
  ['Electro-Voice', ['ZLX-12P', 'RE20']],
  ['Schecter', ['Hellraiser C-1', 'Omen Extreme-6']],
  ['Hohner', ['Special 20', 'Marine Band 1896']],
  ['Strymon', ['Timeline', 'BigSky']],
  ['MXR', ['Phase 90', 'Carbon Copy']],
  ['DigiTech', ['Whammy 5', 'Drop']],
];

/** Models carried brands do not have in this catalog (checked against it by `absentModelQueries`). */
const ABSENT_MODELS: readonly [string, readonly string[]][] = [
  ['Pearl', ['Export EXX725', 'Masters Maple Complete', 'Roadshow', 'Session Studio Select', 'Eliminator Redline']],
  ['Roland', ['TD-17KVX', 'Juno-DS61', 'Fantom 8', 'Jupiter-X', 'RD-2000', 'TR-909', 'FP-30X']],
  ['Mackie', ['Onyx 24', 'DL32R', 'Big Knob Studio Plus']],
  ['Akai', ['MPC X SE', 'Force', 'APC40 MKII', 'EWI 5000']],
  ['Remo', ['Powersonic', 'Controlled Sound Black Dot']],
  ['Paiste', ['Signature Dark Energy', 'Masters Dark Ride']],
  ['Presonus', ['StudioLive 64S', 'Quantum 4848', 'Eris E8 XT']],
  ['Universal Audio', ['Apollo x16', 'Arrow', 'UAD-2 Octo']],
  ['Allen Heath', ['GLD-80', 'Qu-32', 'ZED-24']],
  ['Boss', ['DS-1 Distortion', 'Katana 100', 'RC-505']],
  ['Moog', ['Minimoog Model D', 'Mother-32']],
  ['Nord', ['Stage 4', 'Lead A1']],
  ['RCF', ['HDL 50-A', 'TT+ 25-A']],
  ['Warm Audio', ['WA-87 R2', 'WA-47 Jr']],
  ['Steinberg', ['UR816C', 'Cubase Pro 13']],
];

/** Lower-case letters and digits only: what "says the same thing" means for labels. */
function compact(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s/,()]+/)
    .filter((w) => w.length > 0 && w !== '&' && w !== '+' && w !== '-');
}

/** FNV-1a: which part (development or held out) a family, brand or model belongs to. */
function heldOut(key: string): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 2 === 0;
}

/** One slip in a letter word of 4+ letters: a neighbouring key, a dropped, swapped or doubled letter. */
function slip(random: () => number, word: string): string {
  const at = 1 + Math.floor(random() * (word.length - 1));
  const ch = word[at]!;
  const kind = Math.floor(random() * 4);
  if (kind === 0 && /[a-z]/.test(ch)) return word.slice(0, at) + adjacentKey(random, ch) + word.slice(at + 1);
  if (kind === 1) return word.slice(0, at) + word.slice(at + 1);
  if (kind === 2 && at + 1 < word.length) return word.slice(0, at) + word[at + 1] + ch + word.slice(at + 2);
  return word.slice(0, at) + ch + word.slice(at);
}

function misspellOne(random: () => number, typed: string[]): string[] | undefined {
  const targets = typed.map((w, i) => (/^[a-z]{4,}$/.test(w) ? i : -1)).filter((i) => i >= 0);
  if (targets.length === 0) return undefined;
  const i = pick(random, targets);
  const out = [...typed];
  out[i] = slip(random, out[i]!);
  return out[i] === typed[i] ? undefined : out;
}

interface Family {
  key: string;
  brand: string;
  name: string;
  ids: string[];
  /** The brand as typed (generic words left out) and the name's words that are not the brand's. */
  brandWords: string[];
  modelWords: string[];
  text: string;
}

function brandTyped(brand: string): string[] {
  const all = words(brand);
  const kept = all.filter((w) => !GENERIC_BRAND_WORDS.has(w));
  return kept.length > 0 && kept.join('').length > 1 ? kept : all;
}

function familiesOf(products: readonly RawProduct[]): Family[] {
  const byKey = new Map<string, Family>();
  for (const p of products) {
    const brand = p.brand.trim();
    const key = `${compact(brand)}\u0000${p.name.trim().toLowerCase()}`;
    const existing = byKey.get(key);
    if (existing) {
      existing.ids.push(p.id);
      continue;
    }
    // "M-Audio" in a name is the brand "M Audio" written as one word.
    const brandAll = new Set([...words(brand).map(compact), compact(brand)]);
    const nameWords = words(p.name);
    const modelWords = nameWords.filter((w) => !brandAll.has(compact(w)) && compact(w) !== '');
    byKey.set(key, {
      key,
      brand,
      name: p.name.trim(),
      ids: [p.id],
      brandWords: brandTyped(brand),
      modelWords,
      text: compact(`${brand} ${p.name}`),
    });
  }
  return [...byKey.values()];
}

/**
 * A query (before any slip) is a fair test when its words, each found in the family's text, single out
 * that family, or when it names the family's model exactly and names no other family's model exactly.
 */
function singlesOut(families: readonly Family[], target: Family, clean: string): boolean {
  const typed = words(clean)
    .map(compact)
    .filter((w) => w !== '');
  if (typed.length === 0 || !typed.every((w) => target.text.includes(w))) return false;
  const rivals = families.filter((f) => f !== target && typed.every((w) => f.text.includes(w)));
  if (rivals.length === 0) return true;
  const said = typed.join('');
  const names = (f: Family) => said.endsWith(compact(f.modelWords.join('')));
  return names(target) && !rivals.some(names);
}

function catalogQueries(random: () => number, families: readonly Family[]): TypingQuery[] {
  const out: TypingQuery[] = [];
  for (const family of shuffled(random, families).slice(0, FAMILY_SAMPLE)) {
    const { brandWords: brand, modelWords: model } = family;
    if (model.length === 0) continue;
    const both = [...brand, ...model];
    const code = model.filter((w) => /\d/.test(w) && /[a-z]/.test(w));
    const makers: (() => { clean: string; text: string; kind: string } | undefined)[] = [
      () => ({ clean: both.join(' '), text: both.join(' '), kind: 'full' }),
      () => ({ clean: model.join(' '), text: model.join(' '), kind: 'model-only' }),
      () => (code.length > 0 ? { clean: code.join(' '), text: code.join(' '), kind: 'model-code' } : undefined),
      () => {
        if (!model.some((w) => /[-.•]/.test(w))) return undefined;
        const text = [...brand, ...model.map((w) => w.replace(/[-.•]/g, ''))].join(' ');
        return { clean: text, text, kind: 'missing-hyphen' };
      },
      () => {
        const spaced = model.map((w) => w.replace(/[-.•]/g, ' ').replace(/([a-z])(\d)/g, '$1 $2'));
        const text = [...brand, ...spaced].join(' ');
        return text === both.join(' ') ? undefined : { clean: text, text, kind: 'spacing' };
      },
      () => {
        if (model.length < 2) return undefined;
        const text = [...brand, model.join('')].join(' ');
        return { clean: text, text, kind: 'run-together' };
      },
      () => {
        const typed = misspellOne(random, both);
        return typed && { clean: both.join(' '), text: typed.join(' '), kind: 'typo' };
      },
      () => {
        const typed = misspellOne(random, brand);
        return typed && { clean: both.join(' '), text: [...typed, ...model].join(' '), kind: 'brand-typo' };
      },
      () => {
        const full = both.join(' ');
        const from = brand.join(' ').length + 3;
        if (full.length - from < 2) return undefined;
        const text = full.slice(0, from + Math.floor(random() * (full.length - from))).trimEnd();
        return { clean: text, text, kind: 'prefix' };
      },
      () => {
        // As printed, with its own capitals and punctuation, and a stray space.
        const text = `${family.name.replace(/ /, '  ')} `;
        return { clean: family.name, text, kind: 'as-printed' };
      },
    ];
    let made = 0;
    for (const make of shuffled(random, makers)) {
      if (made === VARIANTS_PER_FAMILY) break;
      const variant = make();
      if (!variant || !singlesOut(families, family, variant.clean)) continue;
      out.push({ text: variant.text, kind: variant.kind, expect: { type: 'product', ids: [...family.ids] } });
      made++;
    }
  }
  return out;
}

function brandQueries(random: () => number, families: readonly Family[]): TypingQuery[] {
  const byTyped = new Map<string, Set<string>>();
  for (const f of families) {
    const typed = f.brandWords.join(' ');
    if (!byTyped.has(typed)) byTyped.set(typed, new Set());
    byTyped.get(typed)!.add(f.brand);
    // The brand's first word alone ("roland" for both Roland brands, "allen" for Allen Heath).
    const first = f.brandWords[0]!;
    if (first.length >= 3 && first !== typed) {
      if (!byTyped.has(first)) byTyped.set(first, new Set());
      byTyped.get(first)!.add(f.brand);
    }
  }
  const out: TypingQuery[] = [];
  for (const [typed, brands] of byTyped) {
    const expect: Expectation = { type: 'brand', brands: [...brands].sort() };
    out.push({ text: typed, kind: 'brand-only', expect });
    const slipped = misspellOne(random, typed.split(' '));
    if (slipped) out.push({ text: slipped.join(' '), kind: 'brand-only-typo', expect });
  }
  for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
    const brands = families.filter((f) => f.brandWords[0]!.startsWith(letter)).map((f) => f.brand);
    const expect: Expectation =
      brands.length > 0 ? { type: 'brand', brands: [...new Set(brands)].sort() } : { type: 'not-found' };
    out.push({ text: letter, kind: 'single-letter', expect });
  }
  return out;
}

function absentBrandQueries(random: () => number, families: readonly Family[]): { key: string; query: TypingQuery }[] {
  const catalogWords = new Set(families.flatMap((f) => [...f.brandWords, ...f.modelWords].map(compact)));
  const out: { key: string; query: TypingQuery }[] = [];
  for (const [brand, models] of ABSENT_BRANDS) {
    if (words(brand).some((w) => catalogWords.has(compact(w)))) continue;
    const b = brand.toLowerCase();
    const add = (text: string, kind: string) =>
      out.push({ key: `brand:${b}`, query: { text, kind, expect: { type: 'not-found' } } });
    add(b, 'absent-brand');
    for (const model of models) {
      const m = model.toLowerCase();
      add(`${b} ${m}`, 'absent-brand-model');
      const slipped = misspellOne(random, words(`${b} ${m}`));
      if (slipped) add(slipped.join(' '), 'absent-brand-typo');
      if (random() < 0.5) add(`${b} ${m.replace(/[-\s]/g, '')}`, 'absent-brand-spacing');
    }
  }
  return out;
}

function absentModelQueries(random: () => number, families: readonly Family[]): { key: string; query: TypingQuery }[] {
  const out: { key: string; query: TypingQuery }[] = [];
  for (const [brand, models] of ABSENT_MODELS) {
    const first = compact(brand.split(' ')[0]!);
    const carried = families.filter((f) => compact(f.brand).startsWith(first));
    if (carried.length === 0) throw new Error(`ABSENT_MODELS: ${brand} is not carried`);
    for (const model of models) {
      // Absent when no family of the brand holds the model's first word, nor any family its code.
      const head = compact(model.split(' ')[0]!);
      const code = compact(model);
      if (carried.some((f) => f.modelWords.map(compact).includes(head)) || families.some((f) => f.text.includes(code)))
        continue;
      const b = brand.toLowerCase();
      const m = model.toLowerCase();
      const add = (text: string, kind: string) =>
        out.push({ key: `model:${b}:${m}`, query: { text, kind, expect: { type: 'not-found' } } });
      add(`${b} ${m}`, 'absent-model');
      add(`${b} ${m.split(' ')[0]}`, 'absent-model-short');
      const slipped = misspellOne(random, words(`${b} ${m}`));
      if (slipped) add(slipped.join(' '), 'absent-model-typo');
    }
  }
  return out;
}

export function typingSet(
  products: readonly RawProduct[],
  seed = SEED,
): { heldOut: TypingQuery[]; dev: TypingQuery[] } {
  const random = mulberry32(seed);
  const families = familiesOf(products);
  const familyOf = new Map(families.flatMap((f) => f.ids.map((id) => [id, f.key] as const)));
  const keyed: { key: string; query: TypingQuery }[] = [
    ...catalogQueries(random, families).map((query) => ({
      key: `family:${familyOf.get((query.expect as { ids: string[] }).ids[0]!)}`,
      query,
    })),
    ...brandQueries(random, families).map((query) => ({ key: `typed:${query.text}`, query })),
    ...absentBrandQueries(random, families),
    ...absentModelQueries(random, families),
  ];
  const seen = new Set<string>();
  const result = { heldOut: [] as TypingQuery[], dev: [] as TypingQuery[] };
  for (const { key, query } of keyed) {
    const dedupe = compact(query.text) + (query.text.includes(' ') ? ' ' : '');
    if (seen.has(`${dedupe}\u0000${query.text}`)) continue;
    seen.add(`${dedupe}\u0000${query.text}`);
    (heldOut(key) ? result.heldOut : result.dev).push(query);
  }
  return result;
}

export const HELD_OUT_FILE = fileURLToPath(new URL('./typing-heldout.json', import.meta.url));
export const DEV_FILE = fileURLToPath(new URL('./typing-dev.json', import.meta.url));

export function readTypingSet(file: string): TypingQuery[] {
  return JSON.parse(readFileSync(file, 'utf8')) as TypingQuery[];
}

function write(file: string, queries: readonly TypingQuery[]): void {
  writeFileSync(file, `[\n${queries.map((q) => JSON.stringify(q)).join(',\n')}\n]\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const catalog = JSON.parse(
    readFileSync(fileURLToPath(new URL('../../app/core/catalog/products.json', import.meta.url)), 'utf8'),
  ) as RawProduct[];
  const { heldOut: held, dev } = typingSet(catalog);
  const only = process.argv[2];
  if (only !== 'dev') write(HELD_OUT_FILE, held);
  if (only !== 'held-out') write(DEV_FILE, dev);
  const count = (qs: readonly TypingQuery[]) =>
    Object.fromEntries(['product', 'brand', 'not-found'].map((t) => [t, qs.filter((q) => q.expect.type === t).length]));
  console.log(
    JSON.stringify({ heldOut: { total: held.length, ...count(held) }, dev: { total: dev.length, ...count(dev) } }),
  );
}
