/**
 * Ranks catalog products against what the customer has typed so far.
 *
 * Each query word (and each pair of adjacent words run together, for "m caster" → "MCaster") is looked
 * up in the vocabulary trie within an edit budget that grows with its length; the last word is also a
 * prefix. A product's score is the IDF-weighted share of the query it explains (qcov), nudged by how
 * much of its own model name the query covers (so "sq5" prefers SQ-5 over SQ-5-RK19) and by word order.
 * Confidence is a softmax over the best distinct products' scores times qcov: a clear winner that
 * explains the whole query scores high, a prefix shared by many products scores low.
 */
import type { PredictionItem } from '../../shared/protocol.js';
import { MAX_TRACKED_ATOMS, SPAN_BASE, type CatalogIndex } from './catalog-index.js';
import { digitsOf, hasDigit, isNumber, queryWords } from './normalize.js';
import { readPieces, type Piece } from './segment.js';
import { MAX_QUERY_WORD } from './term-trie.js';

/** Words past this are ignored: product names are short, longer input is noise or abuse. */
const MAX_WORDS = 8;
/** Pieces of words typed run together ("keystation88mk3" → "keystation88", "mk3"), over the whole query. */
const MAX_PIECES = 8;
/** Slots per product: the words themselves (pairs credit the two words they join), then the pieces. */
const SLOTS = MAX_WORDS + MAX_PIECES;
/** Two words run together as long as this may be a short code typed with a letter off ("dc-30"). */
const MAX_SHORT_CODE = 8;
/** A word's pieces found apart in a name ("16x16" in "28x16") are weaker evidence than side by side. */
const SCATTERED_READING = 0.85;
/**
 * A word the vocabulary holds, read as pieces, is worth a shade less than the term itself: a product
 * printing "ProFX10v3" beats one printing "ProFX10 v3" for "profx10v3", by less than an accessory yields.
 */
const READING_OF_KNOWN_WORD = 0.995;
/** Shorter words are not read as words run together. */
const MIN_SEGMENTED = 4;
/** An accessory or variant (its bag, cover, ear kit, stand) yields to the product when none of its words is typed. */
const ACCESSORY_PENALTY = 0.93;
/** ... to a product that explains the query at least this nearly as well. */
const ACCESSORY_MARGIN = 0.02;
/** A number typed as the start of a longer one ("1" for 10"), in a word that is not the last. */
const PARTIAL_NUMBER = 0.8;
/** A number one digit longer than typed: a weak hint, exact and partial numbers beat it. */
const NEAR_NUMBER = 0.35;
/** A completion prefix this many postings wide only re-ranks candidates found by the other words. */
const FILTER_VOLUME = 2_000;
/** Hard cap on postings read for one prefix lookup (a one-letter query on a huge catalog). */
const PREFIX_POSTINGS_CAP = 20_000;
/** Distinct products entering the confidence softmax. */
const SOFTMAX_GROUPS = 8;
/** Rows of slot scores held at first; they double as a query touches more products. */
const INITIAL_ROWS = 4_096;
/** Softmax temperature in score units: a 0.07 lead over the runner-up is a clear win. */
const TEMPERATURE = 0.03;
const TOP_EXTRA = 16;

/** Edits tolerated in a whole word: none for 1-2 characters, one up to 5, then two. */
function maxEdits(length: number): number {
  return length <= 2 ? 0 : length <= 5 ? 1 : 2;
}
/** Edits tolerated in the typed prefix of the last word. */
function maxPrefixEdits(length: number): number {
  return length <= 3 ? 0 : length <= 6 ? 1 : 2;
}

export class RankingPredictor {
  readonly size: number;
  private readonly index: CatalogIndex;
  /**
   * Slot scores and spans, one row per product the query touched, in the order it touched them (row c
   * is touched[c]'s): a query touching 20,000 of a million products reads 20,000 adjacent rows, not
   * rows scattered over a table of a million, and the table grows only as far as a query reaches.
   */
  private best = new Float32Array(INITIAL_ROWS * SLOTS);
  private span = new Int32Array(INITIAL_ROWS * SLOTS);
  /** Row of product p in best/span, valid while stamp[p] is the current query's. */
  private readonly rowOf: Int32Array;
  private readonly stamp: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  /** Stamps the products touched by the current query (so nothing is cleared between queries). */
  private queryGeneration = 0;
  /** Stamps the terms matched by the current word lookup. */
  private generation = 0;
  private readonly termStamp: Int32Array;
  private readonly termSim: Float32Array;
  private readonly matchTerm: Int32Array;
  private matchCount = 0;
  private readonly wordDf = new Int32Array(SLOTS);
  private readonly termsPerProduct: number;
  /** Per word: its pieces' first slot and count (0 when the word has no segmented reading). */
  private readonly pieceStart = new Int32Array(MAX_WORDS);
  private readonly pieceCount = new Int32Array(MAX_WORDS);
  /** Per word: what its segmented reading is worth at best (less than the word itself when it is a term). */
  private readonly readingWorth = new Float32Array(MAX_WORDS);
  private readonly topProduct: Int32Array;
  private readonly topScore: Float64Array;
  private readonly topCoverage: Float64Array;
  /** 1 when the top entry is an accessory whose accessory words the query does not name. */
  private readonly topAccessory: Uint8Array;

  constructor(index: CatalogIndex) {
    this.index = index;
    this.size = index.productCount;
    this.termsPerProduct = index.fwdTerm.length / Math.max(1, index.productCount);
    const n = Math.max(1, index.productCount);
    this.rowOf = new Int32Array(n);
    this.stamp = new Int32Array(n);
    this.touched = new Int32Array(n);
    this.termStamp = new Int32Array(index.terms.length);
    this.termSim = new Float32Array(index.terms.length);
    this.matchTerm = new Int32Array(index.terms.length);
    this.topProduct = new Int32Array(64 + TOP_EXTRA);
    this.topScore = new Float64Array(64 + TOP_EXTRA);
    this.topCoverage = new Float64Array(64 + TOP_EXTRA);
    this.topAccessory = new Uint8Array(64 + TOP_EXTRA);
  }

  /** Best products for `text`, best first. Never throws: any input yields a (possibly empty) list. */
  predict(text: string, limit = 5): PredictionItem[] {
    return this.predictWords(this.words(text), limit);
  }

  /**
   * The words ranking reads from `text`: two texts with the same words ("Roland TR-8", "roland tr8 ")
   * get the same predictions, so a cache can share them.
   */
  words(text: string): string[] {
    try {
      if (typeof text !== 'string') return [];
      return queryWords(text.slice(0, 1_024))
        .slice(0, MAX_WORDS)
        .map((w) => w.slice(0, MAX_QUERY_WORD));
    } catch {
      return [];
    }
  }

  /** True when `word` is a term of the catalog's vocabulary (a word or run of words some product uses). */
  knows(word: string): boolean {
    return word.length <= MAX_QUERY_WORD && this.index.trie.find(word) >= 0;
  }

  /** predict() on words from words(). Never throws. */
  predictWords(words: readonly string[], limit = 5): PredictionItem[] {
    try {
      if (this.size === 0 || words.length === 0) return [];
      const wanted = Math.min(64, Math.max(0, Math.floor(Number.isFinite(limit) ? limit : 5)));
      if (wanted === 0) return [];
      return this.rank(words, wanted);
    } catch {
      return [];
    }
  }

  private rank(words: readonly string[], wanted: number): PredictionItem[] {
    if (this.generation > 0x3fffffff) this.resetStamps();
    this.queryGeneration++;
    this.touchedCount = 0;
    this.wordDf.fill(0);
    const last = words.length - 1;
    for (let i = 0; i < last; i++) this.lookupAndCredit(words[i]!, false, i, i);
    for (let i = 0; i < last; i++) {
      const pair = words[i]! + words[i + 1]!;
      if (pair.length <= MAX_QUERY_WORD)
        this.lookupAndCredit(pair, i + 1 === last, i, i + 1, true, i + 1 === last ? words[last] : undefined);
    }
    this.lookupAndCredit(words[last]!, true, last, last);
    this.creditSegmentedReadings(words);
    return this.score(words.length, wanted);
  }

  /**
   * A word typed run together ("keystation88mk3", "mp240bta") gets a second reading: its pieces, each
   * in a slot of its own; the word counts as matched by a product only as far as every piece is.
   */
  private creditSegmentedReadings(words: readonly string[]): void {
    const { trie } = this.index;
    let next = MAX_WORDS;
    this.pieceCount.fill(0);
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const typing = i === words.length - 1;
      if (word.length < MIN_SEGMENTED) continue;
      // A word the vocabulary knows may still be another product's words run together ("mcasterlive"
      // is the bag's term, "m caster live" the product's): it is re-read as known terms only.
      const known = trie.find(word) >= 0 || (typing && trie.hasPrefix(word));
      const pieces = readPieces(word, trie, typing && !known, !known);
      if (!pieces || next + pieces.length > SLOTS) continue;
      this.pieceStart[i] = next;
      this.pieceCount[i] = pieces.length;
      this.readingWorth[i] = known ? READING_OF_KNOWN_WORD : 1;
      // Slots keep the typed order; the rarest piece is looked up first, so the others only re-rank the
      // few products it found.
      const rarity = (piece: Piece) =>
        piece.match === 'exact' ? this.index.termDf[trie.find(piece.text)]! : this.size;
      const order = pieces.map((_, k) => k).sort((a, b) => rarity(pieces[a]!) - rarity(pieces[b]!));
      for (const k of order) this.lookupPiece(pieces[k]!, next + k, k !== order[0]);
      next += pieces.length;
    }
  }

  private lookupPiece(piece: Piece, slot: number, narrowing: boolean): void {
    const { text, match } = piece;
    this.generation++;
    this.matchCount = 0;
    const digits = hasDigit(text) ? digitsOf(text) : '';
    const volume =
      match === 'fuzzy'
        ? this.searchAndOffer(text, Math.min(1, maxEdits(text.length)), -1, true, digits)
        : this.searchAndOffer(text, 0, match === 'prefix' ? 0 : -1, false, digits);
    if (this.matchCount === 0) return;
    // Every piece must match: after the first, only products already found can still qualify, and
    // reading their own terms is cheaper than a common piece's postings ("3", "s").
    if (narrowing && volume > this.touchedCount * this.termsPerProduct) this.creditCandidates(slot, slot);
    else this.creditPostings(slot, slot);
  }

  /**
   * Finds the terms matching `word` and credits products in slots `slotA`..`slotB`. `typing` is the word
   * still being typed when `word` is a pair ending in it.
   */
  private lookupAndCredit(
    word: string,
    isLast: boolean,
    slotA: number,
    slotB: number,
    exact = false,
    typing?: string,
  ): void {
    const volume = this.collectMatches(word, isLast, exact, typing);
    if (this.matchCount === 0) return;
    // A short prefix ("r", "pa") matches a large part of the catalog: if other words already found
    // candidates, only re-rank those instead of reading every posting.
    if (isLast && volume > FILTER_VOLUME && this.touchedCount > 0 && this.touchedCount * 40 < volume) {
      this.creditCandidates(slotA, slotB);
    } else {
      this.creditPostings(slotA, slotB);
    }
  }

  /** Fills matchTerm (one entry per term; its best similarity in termSim) and returns the posting volume. */
  private collectMatches(word: string, isLast: boolean, exact: boolean, typing?: string): number {
    const m = word.length;
    this.generation++;
    this.matchCount = 0;
    // Two words run together must meet a term exactly: a fuzzy pair would credit both words for one typo.
    // A word that is already in the vocabulary was most likely typed right: fewer edits around it.
    const known = this.index.trie.find(word) >= 0;
    const digits = hasDigit(word) ? digitsOf(word) : '';
    if (exact) {
      // A short code typed with a letter off ("dc-30" for DCS-30): one edit, the digits as typed.
      const code = !known && digits !== '' && m >= 4 && m <= MAX_SHORT_CODE && m - digits.length >= 2;
      // The letter off is looked for before the word being typed, never in it: "cy12c-b" is on its way to
      // CY12C-BK, not CY-12C-T with its "b" read as a slip for "t".
      return this.searchAndOffer(word, code ? 1 : 0, isLast ? 0 : -1, code, digits, code, false, typing);
    }
    if (isNumber(word)) {
      // Numbers decide between siblings: exact beats a near number (one digit off), and a number cut
      // short is the start of one ("1" → 10", 12", …), whichever word it is.
      return this.searchAndOffer(word, 1, 0, m > 2, digits, false, !isLast);
    }
    const edits = known ? (m <= 5 ? 0 : 1) : maxEdits(m);
    const prefixEdits = isLast ? (known ? 0 : maxPrefixEdits(m)) : -1;
    return this.searchAndOffer(word, edits, prefixEdits, edits > 0, digits);
  }

  private searchAndOffer(
    word: string,
    edits: number,
    prefixEdits: number,
    anchored: boolean,
    wordDigits: string,
    sameDigitsOnly = false,
    numberNotLast = false,
    typedTail?: string,
  ): number {
    const { trie, terms, termDf, cumPostings } = this.index;
    const m = word.length;
    const gen = this.generation;
    const number = numberNotLast || (wordDigits.length === m && m > 0);
    trie.search(word, edits, prefixEdits, anchored);
    let volume = 0;
    for (let r = 0; r < trie.fullCount; r++) {
      const t = trie.fullTerm[r]!;
      const d = trie.fullDistance[r]!;
      let sim = editSimilarity(d, m);
      if (d > 0) {
        const term = terms[t]!;
        if (typedTail !== undefined && !term.endsWith(typedTail)) continue;
        if (number) {
          // A number only meets a number one digit longer ("5" typed for 15): a digit changed in place
          // (18 → 17) is a sibling's size, and "s" is no number.
          if (term.length !== m + 1 || !isNumber(term)) continue;
          sim = NEAR_NUMBER;
        } else if (digitsOf(term) !== wordDigits) {
          if (sameDigitsOnly) continue;
          sim *= 0.6;
        }
      }
      volume += termDf[t]!;
      this.offer(t, sim, gen);
    }
    for (let h = 0; h < trie.prefixCount && volume <= PREFIX_POSTINGS_CAP; h++) {
      const node = trie.prefixNode[h]!;
      const base = editSimilarity(trie.prefixDistance[h]!, m);
      const end = trie.nodeEnd[node]!;
      const wide = cumPostings[end]! - cumPostings[node]!;
      for (let x = node; x < end && volume <= PREFIX_POSTINGS_CAP; x++) {
        const t = trie.nodeTerm[x]!;
        if (t < 0) continue;
        const term = terms[t]!;
        if (numberNotLast && !isNumber(term)) continue;
        // A completion is weaker than a whole word, and weaker the more is left to type.
        let sim = base * (0.85 + (0.1 * Math.min(m, term.length)) / term.length);
        if (numberNotLast) sim *= PARTIAL_NUMBER;
        if (wordDigits !== '' && !digitsOf(term).startsWith(wordDigits)) sim *= 0.6;
        volume += wide > PREFIX_POSTINGS_CAP ? termDf[t]! : 0;
        this.offer(t, sim, gen);
      }
      if (wide <= PREFIX_POSTINGS_CAP) volume += wide;
    }
    return volume;
  }

  private offer(t: number, sim: number, gen: number): void {
    if (this.termStamp[t] !== gen) {
      this.termStamp[t] = gen;
      this.termSim[t] = sim;
      this.matchTerm[this.matchCount++] = t;
    } else if (sim > this.termSim[t]!) {
      this.termSim[t] = sim;
    }
  }

  private creditPostings(slotA: number, slotB: number): void {
    const { postStart, postProduct, postSpan } = this.index;
    for (let r = 0; r < this.matchCount; r++) {
      const t = this.matchTerm[r]!;
      const sim = this.termSim[t]!;
      for (let j = postStart[t]!, end = postStart[t + 1]!; j < end; j++) {
        const p = postProduct[j]!;
        this.touch(p);
        this.credit(p, slotA, slotB, sim, postSpan[j]!);
      }
    }
  }

  private creditCandidates(slotA: number, slotB: number): void {
    const { fwdStart, fwdTerm, fwdSpan } = this.index;
    const gen = this.generation;
    for (let c = 0; c < this.touchedCount; c++) {
      const p = this.touched[c]!;
      for (let f = fwdStart[p]!, end = fwdStart[p + 1]!; f < end; f++) {
        const t = fwdTerm[f]!;
        if (this.termStamp[t] === gen) this.credit(p, slotA, slotB, this.termSim[t]!, fwdSpan[f]!);
      }
    }
  }

  private touch(p: number): void {
    if (this.stamp[p] === this.queryGeneration) return;
    this.stamp[p] = this.queryGeneration;
    const row = this.touchedCount++;
    this.touched[row] = p;
    this.rowOf[p] = row;
    const base = row * SLOTS;
    if (base === this.best.length) this.growRows();
    for (let s = 0; s < SLOTS; s++) this.best[base + s] = 0;
  }

  private growRows(): void {
    const best = new Float32Array(this.best.length * 2);
    best.set(this.best);
    this.best = best;
    const span = new Int32Array(this.span.length * 2);
    span.set(this.span);
    this.span = span;
  }

  private credit(p: number, slotA: number, slotB: number, sim: number, span: number): void {
    const base = this.rowOf[p]! * SLOTS;
    for (let s = slotA; s <= slotB; s++) {
      const at = base + s;
      const current = this.best[at]!;
      if (sim > current) {
        if (current === 0) this.wordDf[s]!++;
        this.best[at] = sim;
        this.span[at] = span;
      }
    }
  }

  /**
   * An accessory the query does not name (its words absent) yields to any product that is no accessory
   * and explains the query as well: "profx16v3" is the mixer, not its bag; "rs77" still finds the stand
   * it is the start of when nothing else matches as well.
   */
  private accessoriesYield(kept: number): void {
    const { topProduct, topScore, topCoverage, topAccessory } = this;
    let plainCoverage = -1;
    for (let r = 0; r < kept; r++) if (!topAccessory[r]) plainCoverage = Math.max(plainCoverage, topCoverage[r]!);
    let changed = false;
    for (let r = 0; r < kept; r++) {
      if (topAccessory[r] && plainCoverage >= topCoverage[r]! - ACCESSORY_MARGIN) {
        topScore[r] = topScore[r]! * ACCESSORY_PENALTY;
        changed = true;
      }
    }
    if (!changed) return;
    // Insertion sort of a short list, best first.
    for (let r = 1; r < kept; r++) this.placeInTop(r, topScore[r]!, topProduct[r]!, topCoverage[r]!, topAccessory[r]!);
  }

  /**
   * Writes one entry into the sorted top list, starting at slot `at` (free, or the entry's own) and moving
   * it up past every entry it beats; ties keep catalog order.
   */
  private placeInTop(at: number, score: number, product: number, coverage: number, accessory: number): void {
    const { topProduct, topScore, topCoverage, topAccessory } = this;
    while (at > 0 && (topScore[at - 1]! < score || (topScore[at - 1] === score && topProduct[at - 1]! > product))) {
      topScore[at] = topScore[at - 1]!;
      topProduct[at] = topProduct[at - 1]!;
      topCoverage[at] = topCoverage[at - 1]!;
      topAccessory[at] = topAccessory[at - 1]!;
      at--;
    }
    topScore[at] = score;
    topProduct[at] = product;
    topCoverage[at] = coverage;
    topAccessory[at] = accessory;
  }

  private resetStamps(): void {
    this.generation = 1;
    this.queryGeneration = 1;
    this.stamp.fill(0);
    this.termStamp.fill(0);
  }

  private score(wordCount: number, wanted: number): PredictionItem[] {
    const { modelStart, modelWeight, modelWeightTotal, group, accessoryMask } = this.index;
    const n = this.size;
    const weights = new Float64Array(wordCount);
    let totalWeight = 0;
    const { pieceStart, pieceCount } = this;
    for (let i = 0; i < wordCount; i++) {
      let df = this.wordDf[i]!;
      // Products matching a segmented reading are at most those matching its rarest piece.
      if (pieceCount[i]! > 0) {
        let rarest = n;
        for (let k = pieceStart[i]!; k < pieceStart[i]! + pieceCount[i]!; k++)
          rarest = Math.min(rarest, this.wordDf[k]!);
        df += rarest;
      }
      weights[i] = Math.log(1 + n / (1 + df));
      totalWeight += weights[i]!;
    }
    const keep = Math.min(this.topProduct.length, wanted + TOP_EXTRA);
    let kept = 0;
    const { topProduct, topScore, topCoverage, best, span } = this;
    for (let c = 0; c < this.touchedCount; c++) {
      const p = this.touched[c]!;
      const base = c * SLOTS;
      let explained = 0;
      let mask = 0;
      let ordered = 0;
      let pairs = 0;
      let previousStart = -1;
      for (let i = 0; i < wordCount; i++) {
        let sim = best[base + i]!;
        let first = base + i;
        let slots = 1;
        if (pieceCount[i]! > 0) {
          let reading = 1;
          let scattered = false;
          for (let k = base + pieceStart[i]!, end = k + pieceCount[i]!; k < end; k++) {
            reading = Math.min(reading, best[k]!);
            // The pieces of one typed word sit side by side in the name, in order ("Keystation 88 mk3").
            if (k > base + pieceStart[i]! && !follows(span[k - 1]!, span[k]!)) scattered = true;
          }
          reading *= this.readingWorth[i]!;
          if (scattered) reading *= SCATTERED_READING;
          if (reading > sim) {
            sim = reading;
            first = base + pieceStart[i]!;
            slots = pieceCount[i]!;
          }
        }
        if (sim <= 0) {
          previousStart = -1;
          continue;
        }
        explained += weights[i]! * sim;
        const start = Math.floor(span[first]! / SPAN_BASE);
        for (let k = first; k < first + slots; k++) {
          const from = Math.floor(span[k]! / SPAN_BASE);
          const to = from + (span[k]! % SPAN_BASE);
          for (let a = from; a < to && a < MAX_TRACKED_ATOMS; a++) mask |= 1 << a;
        }
        if (previousStart >= 0) {
          pairs++;
          if (start >= previousStart) ordered++;
        }
        previousStart = start;
      }
      const coverage = explained / totalWeight;
      // The score is at most `coverage`: most products touched by a common word stop here.
      if (kept === keep && coverage <= topScore[kept - 1]!) continue;
      let modelCovered = 1;
      const modelTotal = modelWeightTotal[p]!;
      if (modelTotal > 0) {
        let covered = 0;
        const w = modelStart[p]!;
        const atoms = modelStart[p + 1]! - w;
        // Bits past the name (brand and alias atoms) weigh nothing.
        for (let bits = mask; bits !== 0; bits &= bits - 1) {
          const atom = 31 - Math.clz32(bits & -bits);
          if (atom < atoms) covered += modelWeight[w + atom]!;
        }
        modelCovered = covered / modelTotal;
      }
      const order = pairs === 0 ? 1 : ordered / pairs;
      const score = coverage * (0.82 + 0.15 * modelCovered + 0.03 * order);
      const accessory = accessoryMask[p]! !== 0 && (mask & accessoryMask[p]!) === 0 ? 1 : 0;
      // Insert into the small sorted top list (ties keep catalog order).
      if (kept === keep && score <= topScore[kept - 1]!) continue;
      this.placeInTop(kept < keep ? kept++ : kept - 1, score, p, coverage, accessory);
    }
    if (kept === 0) return [];
    this.accessoriesYield(kept);

    // Softmax over distinct products (duplicates of one brand+name are one answer).
    const leader = topScore[0]!;
    const groupMass = new Map<number, number>();
    let total = 0;
    for (let r = 0; r < kept && groupMass.size < SOFTMAX_GROUPS; r++) {
      const g = group[topProduct[r]!]!;
      if (groupMass.has(g)) continue;
      const mass = Math.exp((topScore[r]! - leader) / TEMPERATURE);
      groupMass.set(g, mass);
      total += mass;
    }
    const items: PredictionItem[] = [];
    const { ids, brands, names } = this.index;
    for (let r = 0; r < kept && items.length < wanted; r++) {
      const p = topProduct[r]!;
      const mass = groupMass.get(group[p]!) ?? 0;
      const raw = Math.round((mass / total) * Math.min(1, topCoverage[r]!) * 1000) / 1000;
      // Best first also in confidence: a lower-ranked item never claims more certainty.
      const confidence = items.length === 0 ? raw : Math.min(raw, items[items.length - 1]!.confidence);
      items.push({ productId: ids[p]!, brand: brands[p]!, name: names[p]!, confidence });
    }
    return items;
  }
}

/** True when the span `next` starts right where `previous` ends (spans packed as start * SPAN_BASE + length). */
function follows(previous: number, next: number): boolean {
  return Math.floor(next / SPAN_BASE) === Math.floor(previous / SPAN_BASE) + (previous % SPAN_BASE);
}

/** 1 for an exact match, less per edit, and an edit costs more in a short word. */
function editSimilarity(distance: number, length: number): number {
  return distance === 0 ? 1 : Math.max(0.05, 1 - (0.7 * distance) / (length + 1));
}
