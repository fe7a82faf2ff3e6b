/**
 * Ranks catalog products against what the customer has typed so far.
 *
 * Each query word (and each pair of adjacent words run together, for "m caster" → "MCaster") is looked
 * up in the vocabulary trie within an edit budget that grows with its length; the last word is also a
 * prefix. A product's score is the IDF-weighted share of the query it explains (qcov), nudged by how
 * much of its own model name the query covers (so "sq5" prefers SQ-5 over SQ-5-RK19) and by word order.
 * Confidence is a softmax over the best distinct products' scores times qcov: a clear winner that
 * explains the whole query scores high, a prefix shared by many products scores low.
 *
 * A keystroke's work is bounded whatever the catalog's size: the rarest lookups are read in full, and
 * the wide ones (a brand, a digit, a short prefix in a million products) only credit the products those
 * found, or, when they found too few, the head of their postings, which the index orders best first.
 * Ties and the spans kept do not depend on the order lookups are read in, so on a catalog where
 * nothing is wide the ranking is the exhaustive one. A search's matches are kept for later keystrokes,
 * which mostly change only the word being typed.
 */
import { LRUCache } from 'lru-cache';
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
/**
 * A lookup is read in full while its postings and the products found before it stay within this;
 * a wider one is read only as far as needed (creditWide). In a million products a brand, a digit or a
 * short prefix names 100,000, and this bounds a keystroke's work however large the catalog: each
 * product touched there costs cache misses, and 4,096 left the slowest keystrokes at 2.5× the time of
 * 1,024. On the bundled catalog 1,024 changes the first product of 192 in 100,348 keystrokes of the
 * typing sets against reading everything, none where either ranking was even 0.5 sure (a test holds it
 * to that); `npm run eval:predict dev` moves only in its ECE (0.0101 → 0.0102).
 */
const FULL_READ = 1_024;
/** Found products enough to estimate the share a wide lookup names. */
const MIN_SAMPLE = 64;
/** Postings a wide lookup reads, best first, when the rarer words found too few products. */
const DISCOVERY_READS = 512;
/** The match filter's words less one: 2,048 words, 65,536 bits. */
const MATCH_BITS_MASK = 2_047;
/** Searches whose matches are kept, and the matches kept in all. */
const RECENT_SEARCHES = 1_024;
const RECENT_MATCHES = 1 << 20;
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
  /** Which lookup (its place in gather order) set each slot score; creditedBy is the one crediting now. */
  private setBy = new Uint8Array(INITIAL_ROWS * SLOTS);
  private creditedBy = 0;
  /**
   * Per product p: [2p] the query that last touched it, [2p + 1] its row in best/span then; side by
   * side, as a million products' worth would miss the cache twice per product in two arrays.
   */
  private readonly stampAndRow: Int32Array;
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
  /** The current keystroke's lookups, their matches in lookupTerm/lookupSim[from, to). */
  private lookups: Lookup[] = [];
  private lookupTerm = new Int32Array(1_024);
  private lookupSim = new Float32Array(1_024);
  private lookupUsed = 0;
  /** Per wide lookup's match: the next match of the same term (-1: none) and its lookup's place in the wide list. */
  private entryNext = new Int32Array(0);
  private entryLookup = new Int32Array(0);
  /** Open-addressed hash of the wide lookups' terms (term + 1; 0 is empty) to their latest entry. */
  private hashKey = new Int32Array(0);
  private hashHead = new Int32Array(0);
  private readonly matchBits = new Int32Array(MATCH_BITS_MASK + 1);
  private readonly termsPerProduct: number;
  private readonly fullRead: number;
  /**
   * Matches of recent searches (a word, pair or piece), bounded in terms held: at a million products a
   * fuzzy search costs 0.1–0.6 ms, and on most keystrokes only the last word has changed.
   */
  private readonly recentMatches = new LRUCache<string, RecentMatches>({
    max: RECENT_SEARCHES,
    maxSize: RECENT_MATCHES,
    sizeCalculation: (matches) => matches.terms.length + 1,
  });
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

  constructor(index: CatalogIndex, { fullRead = FULL_READ }: RankingOptions = {}) {
    this.index = index;
    this.fullRead = fullRead;
    this.size = index.productCount;
    this.termsPerProduct = index.fwdTerm.length / Math.max(1, index.productCount);
    const n = Math.max(1, index.productCount);
    this.stampAndRow = new Int32Array(2 * n);
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
    this.lookups = [];
    this.lookupUsed = 0;
    const last = words.length - 1;
    for (let i = 0; i < last; i++) this.gather(words[i]!, false, i, i);
    for (let i = 0; i < last; i++) {
      const pair = words[i]! + words[i + 1]!;
      if (pair.length <= MAX_QUERY_WORD)
        this.gather(pair, i + 1 === last, i, i + 1, true, i + 1 === last ? words[last] : undefined);
    }
    this.gather(words[last]!, true, last, last);
    const keep = this.topKeep(wanted);
    const wide = this.creditLookups();
    this.discoverWide(wide, keep);
    this.creditSegmentedReadings(words);
    this.creditWide(wide);
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
    this.creditedBy = 0;
    const { terms, sims, volume } = this.recall(`${match}\u0000${text}`, () => {
      this.generation++;
      this.matchCount = 0;
      const digits = hasDigit(text) ? digitsOf(text) : '';
      return match === 'fuzzy'
        ? this.searchAndOffer(text, Math.min(1, maxEdits(text.length)), -1, true, digits)
        : this.searchAndOffer(text, 0, match === 'prefix' ? 0 : -1, false, digits);
    });
    if (terms.length === 0) return;
    const gen = ++this.generation;
    this.matchCount = 0;
    for (let r = 0; r < terms.length; r++) this.offer(terms[r]!, sims[r]!, gen);
    // Every piece must match: after the first, only products already found can still qualify, and
    // reading their own terms is cheaper than a common piece's postings ("3", "s").
    // A first piece too wide to read in full credits what other words found, or discovers its best.
    const narrow = narrowing && volume > this.touchedCount * this.termsPerProduct;
    if (narrow || (volume > this.fullRead && this.touchedCount > 0)) this.creditCandidates(slot, slot);
    else if (volume <= this.fullRead) this.creditPostings(slot, slot);
    else this.discover(slot, slot, DISCOVERY_READS);
  }

  /**
   * Finds the terms matching `word` and keeps them as a lookup crediting slots `slotA`..`slotB`. `typing`
   * is the word still being typed when `word` is a pair ending in it.
   */
  private gather(word: string, isLast: boolean, slotA: number, slotB: number, exact = false, typing?: string): void {
    const key = `${isLast ? 'last' : 'word'}${exact ? ' pair' : ''}\u0000${word}\u0000${typing ?? ''}`;
    const { terms, sims, volume } = this.recall(key, () => this.collectMatches(word, isLast, exact, typing));
    if (terms.length === 0) return;
    const from = this.lookupUsed;
    const to = from + terms.length;
    if (to > this.lookupTerm.length) {
      const size = Math.max(to, this.lookupTerm.length * 2);
      const term = new Int32Array(size);
      term.set(this.lookupTerm);
      this.lookupTerm = term;
      const sim = new Float32Array(size);
      sim.set(this.lookupSim);
      this.lookupSim = sim;
    }
    this.lookupTerm.set(terms, from);
    this.lookupSim.set(sims, from);
    this.lookupUsed = to;
    this.lookups.push({
      slotA,
      slotB,
      volume,
      isLast,
      from,
      to,
      order: this.lookups.length,
      discoveredFrom: 0,
      discoveredTo: 0,
    });
  }

  /** Makes `lookup`'s matches the current ones (matchTerm, termSim). */
  private restore(lookup: Lookup): void {
    this.creditedBy = lookup.order;
    const gen = ++this.generation;
    this.matchCount = 0;
    for (let k = lookup.from; k < lookup.to; k++) this.offer(this.lookupTerm[k]!, this.lookupSim[k]!, gen);
  }

  /**
   * Credits the lookups rarest first. One is read in full while it and the products found so far stay
   * within bounds; a wider one is left to creditWide. A short prefix ("r", "pa") typed last matches a
   * large part of the catalog: once the other words have found candidates, it only re-ranks those.
   */
  private creditLookups(): Lookup[] {
    const wide: Lookup[] = [];
    const filters: Lookup[] = [];
    const affordable = (lookup: Lookup) => this.touchedCount + lookup.volume <= this.fullRead;
    for (const lookup of [...this.lookups].sort((a, b) => a.volume - b.volume)) {
      if (lookup.isLast && lookup.volume > FILTER_VOLUME) filters.push(lookup);
      else if (!affordable(lookup)) wide.push(lookup);
      else {
        this.restore(lookup);
        this.creditPostings(lookup.slotA, lookup.slotB);
      }
    }
    for (const lookup of filters.sort((a, b) => a.order - b.order)) {
      const found = this.touchedCount;
      if (found > 0 && found * 40 < lookup.volume) {
        this.restore(lookup);
        this.creditCandidates(lookup.slotA, lookup.slotB);
      } else if (affordable(lookup)) {
        this.restore(lookup);
        this.creditPostings(lookup.slotA, lookup.slotB);
      } else wide.push(lookup);
    }
    return wide.sort((a, b) => a.volume - b.volume);
  }

  /**
   * The matches `search` finds (it fills matchTerm and termSim and returns their posting volume), taken
   * from recentMatches when the same search ran lately: the words before the one being typed repeat from
   * keystroke to keystroke, and customers type the same brands.
   */
  private recall(key: string, search: () => number): RecentMatches {
    let recent = this.recentMatches.get(key);
    if (recent === undefined) {
      const volume = search();
      const terms = this.matchTerm.slice(0, this.matchCount);
      const sims = new Float32Array(terms.length);
      for (let r = 0; r < terms.length; r++) sims[r] = this.termSim[terms[r]!]!;
      recent = { terms, sims, volume };
      this.recentMatches.set(key, recent);
    }
    return recent;
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
    const { trie, terms, termDf, termLength, cumPostings } = this.index;
    const m = word.length;
    const gen = this.generation;
    const number = numberNotLast || (wordDigits.length === m && m > 0);
    // Of a number's neighbours only the numbers a digit longer are kept (below), and they are found directly.
    if (number && edits === 1 && prefixEdits <= 0) trie.searchNumber(word, prefixEdits === 0, anchored);
    else trie.search(word, edits, prefixEdits, anchored);
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
        if (numberNotLast && !isNumber(terms[t]!)) continue;
        // A completion is weaker than a whole word, and weaker the more is left to type.
        const length = termLength[t]!;
        let sim = base * (0.85 + (0.1 * Math.min(m, length)) / length);
        if (numberNotLast) sim *= PARTIAL_NUMBER;
        if (wordDigits !== '' && !digitsOf(terms[t]!).startsWith(wordDigits)) sim *= 0.6;
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

  /**
   * Once the narrower lookups have found their products, the wide ones, rarest first, read the head of
   * their postings while fewer than a full list have been found ("roland" alone, or with a word that
   * matched nothing). creditWide then credits every wide lookup to what was found.
   */
  private discoverWide(deferred: readonly Lookup[], keep: number): void {
    for (const lookup of deferred) {
      if (this.touchedCount >= keep) break;
      this.restore(lookup);
      lookup.discoveredFrom = this.touchedCount;
      this.discover(lookup.slotA, lookup.slotB, DISCOVERY_READS);
      lookup.discoveredTo = this.touchedCount;
    }
  }

  /** Credits every wide lookup to the products found, in one pass over their own terms. */
  private creditWide(deferred: readonly Lookup[]): void {
    if (deferred.length === 0) return;
    // A small hash from term to its entries (a term may match more than one lookup, linked through
    // entryNext), sized to this keystroke's matches: a per-term head array would add 4 bytes per term
    // of the vocabulary (6 MB at a million products); it measured no faster (p50/p99 at 1M within noise).
    const entries = deferred.reduce((sum, lookup) => sum + lookup.to - lookup.from, 0);
    const shift = Math.clz32(Math.max(64, entries * 2) - 1);
    const size = 2 ** (32 - shift);
    if (this.hashKey.length < size) {
      this.hashKey = new Int32Array(size);
      this.hashHead = new Int32Array(size);
    }
    if (this.entryNext.length < this.lookupUsed) {
      this.entryNext = new Int32Array(this.lookupTerm.length);
      this.entryLookup = new Int32Array(this.lookupTerm.length);
    }
    const { hashKey, hashHead, entryNext, entryLookup, lookupTerm, lookupSim, matchBits: bits } = this;
    const mask = size - 1;
    /** The term's slot in the hash: its own, or the empty one where it would go. */
    const slotOf = (t: number): number => {
      let h = Math.imul(t, 0x9e3779b1) >>> shift;
      while (hashKey[h] !== 0 && hashKey[h] !== t + 1) h = (h + 1) & mask;
      return h;
    };
    hashKey.fill(0, 0, size);
    bits.fill(0);
    deferred.forEach((lookup, l) => {
      for (let e = lookup.from; e < lookup.to; e++) {
        const t = lookupTerm[e]!;
        markMatch(bits, t);
        const h = slotOf(t);
        entryNext[e] = hashKey[h] === 0 ? -1 : hashHead[h]!;
        hashKey[h] = t + 1;
        hashHead[h] = e;
        entryLookup[e] = l;
      }
    });
    const { fwdStart, fwdTerm, fwdSpan } = this.index;
    // Products a lookup discovered have its credit already (its best term was read first).
    const alone = deferred.length === 1 ? deferred[0]! : undefined;
    const discovered = (lookup: Lookup, c: number) => lookup.discoveredFrom <= c && c < lookup.discoveredTo;
    const hits = new Int32Array(deferred.length);
    for (let c = 0; c < this.touchedCount; c++) {
      if (alone && discovered(alone, c)) continue;
      const p = this.touched[c]!;
      let matched = 0;
      for (let f = fwdStart[p]!, end = fwdStart[p + 1]!; f < end; f++) {
        const t = fwdTerm[f]!;
        if (!mayMatch(bits, t)) continue;
        const h = slotOf(t);
        if (hashKey[h] === 0) continue;
        for (let e = hashHead[h]!; e >= 0; e = entryNext[e]!) {
          const lookup = deferred[entryLookup[e]!]!;
          if (discovered(lookup, c)) continue;
          this.creditedBy = lookup.order;
          this.credit(c, lookup.slotA, lookup.slotB, lookupSim[e]!, fwdSpan[f]!);
          // A keystroke has at most 2 × MAX_WORDS - 1 lookups: one bit each.
          matched |= 1 << entryLookup[e]!;
        }
      }
      for (let l = 0; matched !== 0; l++, matched >>>= 1) hits[l]! += matched & 1;
    }
    // A wide word's weight must still say how common it is, not how few of its products were read: its
    // postings overcount a prefix's products (one per term they hold), so the share of the found products
    // it matches estimates how many it names, at most its postings.
    deferred.forEach((lookup, l) => {
      const found = lookup.discoveredTo - lookup.discoveredFrom;
      const sample = this.touchedCount - found;
      const share =
        sample >= MIN_SAMPLE ? Math.max(found + hits[l]!, Math.round((this.size * hits[l]!) / sample)) : lookup.volume;
      const df = Math.min(this.size, lookup.volume, share);
      for (let s = lookup.slotA; s <= lookup.slotB; s++) this.wordDf[s] = Math.max(this.wordDf[s]!, df);
    });
  }

  /**
   * Reads up to `budget` postings of the current matches, the closest terms first and, within a term,
   * the products it names most fully (the index orders postings so). Terms are taken one similarity
   * level at a time (a pass each, a few passes in all) rather than sorted: a one- or two-letter prefix
   * matches thousands of terms, and a sort of them all would cost more than the reads.
   */
  private discover(slotA: number, slotB: number, budget: number): void {
    const { postStart, postProduct, postSpan } = this.index;
    const { matchTerm, termSim } = this;
    let left = budget;
    let ceiling = Number.POSITIVE_INFINITY;
    while (left > 0) {
      let level = -1;
      for (let r = 0; r < this.matchCount; r++) {
        const sim = termSim[matchTerm[r]!]!;
        if (sim < ceiling && sim > level) level = sim;
      }
      if (level < 0) return;
      for (let r = 0; r < this.matchCount && left > 0; r++) {
        const t = matchTerm[r]!;
        if (termSim[t] !== level) continue;
        const start = postStart[t]!;
        const end = Math.min(postStart[t + 1]!, start + left);
        for (let j = start; j < end; j++) {
          this.credit(this.touch(postProduct[j]!), slotA, slotB, level, postSpan[j]!);
        }
        left -= end - start;
      }
      ceiling = level;
    }
  }

  private creditPostings(slotA: number, slotB: number): void {
    const { postStart, postProduct, postSpan } = this.index;
    for (let r = 0; r < this.matchCount; r++) {
      const t = this.matchTerm[r]!;
      const sim = this.termSim[t]!;
      for (let j = postStart[t]!, end = postStart[t + 1]!; j < end; j++) {
        this.credit(this.touch(postProduct[j]!), slotA, slotB, sim, postSpan[j]!);
      }
    }
  }

  private creditCandidates(slotA: number, slotB: number): void {
    const { fwdStart, fwdTerm, fwdSpan } = this.index;
    const gen = this.generation;
    const bits = this.fillMatchBits(this.matchTerm, this.matchCount);
    for (let c = 0; c < this.touchedCount; c++) {
      const p = this.touched[c]!;
      for (let f = fwdStart[p]!, end = fwdStart[p + 1]!; f < end; f++) {
        const t = fwdTerm[f]!;
        if (mayMatch(bits, t) && this.termStamp[t] === gen) this.credit(c, slotA, slotB, this.termSim[t]!, fwdSpan[f]!);
      }
    }
  }

  /**
   * Marks `count` terms in the match filter: a candidate's terms are mostly not matched, and the filter
   * (8 KB, in cache) says so without reading the per-term stamps (megabytes in a large vocabulary).
   */
  private fillMatchBits(terms: Int32Array, count: number): Int32Array {
    const bits = this.matchBits;
    bits.fill(0);
    for (let r = 0; r < count; r++) markMatch(bits, terms[r]!);
    return bits;
  }

  /** Product p's row, a fresh one the first time the query touches p. */
  private touch(p: number): number {
    const at = p << 1;
    if (this.stampAndRow[at] === this.queryGeneration) return this.stampAndRow[at + 1]!;
    this.stampAndRow[at] = this.queryGeneration;
    const row = this.touchedCount++;
    this.touched[row] = p;
    this.stampAndRow[at + 1] = row;
    const base = row * SLOTS;
    if (base === this.best.length) this.growRows();
    for (let s = 0; s < SLOTS; s++) this.best[base + s] = 0;
    return row;
  }

  private growRows(): void {
    const best = new Float32Array(this.best.length * 2);
    best.set(this.best);
    this.best = best;
    const span = new Int32Array(this.span.length * 2);
    span.set(this.span);
    this.span = span;
    const setBy = new Uint8Array(this.setBy.length * 2);
    setBy.set(this.setBy);
    this.setBy = setBy;
  }

  /**
   * Keeps the best match of the product in `row` in each slot. An equal match from an earlier lookup wins
   * (the word's own span over a pair's), so the spans kept do not depend on the order lookups are read in.
   */
  private credit(row: number, slotA: number, slotB: number, sim: number, span: number): void {
    const base = row * SLOTS;
    const by = this.creditedBy;
    for (let s = slotA; s <= slotB; s++) {
      const at = base + s;
      const current = this.best[at]!;
      if (sim > current || (sim === current && by < this.setBy[at]!)) {
        if (current === 0) this.wordDf[s]!++;
        this.best[at] = sim;
        this.span[at] = span;
        this.setBy[at] = by;
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
    while (at > 0 && this.beats(score, product, at - 1)) {
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

  /** Entries the top list holds for `wanted` items: a few more, as accessories may yield their place. */
  private topKeep(wanted: number): number {
    return Math.min(this.topProduct.length, wanted + TOP_EXTRA);
  }

  /** True when (score, product) ranks above top entry `r`: ties go to the earlier product, whatever order products were touched in. */
  private beats(score: number, product: number, r: number): boolean {
    return score > this.topScore[r]! || (score === this.topScore[r] && product < this.topProduct[r]!);
  }

  private resetStamps(): void {
    this.generation = 1;
    this.queryGeneration = 1;
    this.stampAndRow.fill(0);
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
    const keep = this.topKeep(wanted);
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
      if (kept === keep && !this.beats(coverage, p, kept - 1)) continue;
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
      if (kept === keep && !this.beats(score, p, kept - 1)) continue;
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

function markMatch(bits: Int32Array, t: number): void {
  bits[(t >>> 5) & MATCH_BITS_MASK]! |= 1 << (t & 31);
}

/** False when term `t` is certainly not marked in the match filter. */
function mayMatch(bits: Int32Array, t: number): boolean {
  return ((bits[(t >>> 5) & MATCH_BITS_MASK]! >>> (t & 31)) & 1) !== 0;
}

export interface RankingOptions {
  /**
   * A lookup is read in full while its postings and the products found before it stay within this
   * (default FULL_READ). Infinity reads every lookup in full: the exhaustive ranking, which the bounded
   * one is checked against.
   */
  fullRead?: number;
}

interface RecentMatches {
  terms: Int32Array;
  sims: Float32Array;
  volume: number;
}

/** One word, pair or last word of a query: the slots it credits, its posting volume, its matches in lookupTerm/Sim[from, to). */
interface Lookup {
  slotA: number;
  slotB: number;
  volume: number;
  /** The word being typed, or the pair ending in it. */
  isLast: boolean;
  from: number;
  to: number;
  /** Place in gather order: words, then pairs, then the last word. */
  order: number;
  /** Rows of the products this lookup discovered (reading the head of its postings), if any. */
  discoveredFrom: number;
  discoveredTo: number;
}

/** True when the span `next` starts right where `previous` ends (spans packed as start * SPAN_BASE + length). */
function follows(previous: number, next: number): boolean {
  return Math.floor(next / SPAN_BASE) === Math.floor(previous / SPAN_BASE) + (previous % SPAN_BASE);
}

/** 1 for an exact match, less per edit, and an edit costs more in a short word. */
function editSimilarity(distance: number, length: number): number {
  return distance === 0 ? 1 : Math.max(0.05, 1 - (0.7 * distance) / (length + 1));
}
