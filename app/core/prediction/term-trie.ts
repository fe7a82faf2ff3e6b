/**
 * A read-only trie over the vocabulary, laid out flat in preorder so a subtree is one contiguous node
 * range, searched with a Damerau-Levenshtein (optimal string alignment) row per depth: one walk finds
 * every term within k edits of a query word and, for the word being typed, every node whose prefix is
 * within k edits (all terms below it are completions). No allocation per search.
 */

/** Longest term the trie holds; longer spans are never typed as one word. */
export const MAX_TERM_LENGTH = 32;
/** Longest query word searched; the rest of a longer word is ignored. */
export const MAX_QUERY_WORD = 32;
const MAX_RESULTS = 4096;
/** Characters a child table indexes: digits and a-z; a node's other children are found by scanning. */
const TABLE_SLOTS = 36;

/** The child-table slot of a character, or -1. */
function tableSlot(ch: number): number {
  if (ch >= 48 && ch <= 57) return ch - 48;
  if (ch >= 97 && ch <= 122) return ch - 87;
  return -1;
}

export class TermTrie {
  /** Character (UTF-16 code unit) on the edge into each node; the root (0) has none. */
  private readonly nodeChar: Uint16Array;
  /** Term id ending at each node, or -1. */
  readonly nodeTerm: Int32Array;
  /** First node after this node's subtree (preorder), so children are n+1, end[n+1], … */
  readonly nodeEnd: Int32Array;
  /** Node of each term. */
  readonly termNode: Int32Array;
  /**
   * Children of the root (row 0) and of each of its children (rowOf), by tableSlot; 0 for none. Their
   * siblings lie a whole subtree apart, so in a large vocabulary a scan misses the cache per sibling,
   * and a first-letter slip walks from every child of the root.
   */
  private readonly childTable: Int32Array;
  private readonly rowOf = new Map<number, number>();

  private readonly rows = new Int32Array((MAX_TERM_LENGTH + 2) * (MAX_QUERY_WORD + 1));
  private readonly pathChar = new Uint16Array(MAX_TERM_LENGTH + 2);
  /** Smallest prefix-hit distance among a node's ancestors: nested hits that are no better are skipped. */
  private readonly pathBestPrefix = new Int32Array(MAX_TERM_LENGTH + 2);
  private readonly stack = new Int32Array(MAX_TERM_LENGTH * 64 + 64);
  private readonly stackDepth = new Int32Array(MAX_TERM_LENGTH * 64 + 64);
  private readonly queryCodes = new Uint16Array(MAX_QUERY_WORD);

  /** Results of the last search: whole terms within k edits. */
  readonly fullTerm = new Int32Array(MAX_RESULTS);
  readonly fullDistance = new Int32Array(MAX_RESULTS);
  fullCount = 0;
  /** Results of the last search: nodes whose prefix is within kp edits of the query (prefix mode). */
  readonly prefixNode = new Int32Array(MAX_RESULTS);
  readonly prefixDistance = new Int32Array(MAX_RESULTS);
  prefixCount = 0;

  /** `terms` must be sorted (code-unit order) and unique. */
  constructor(terms: readonly string[]) {
    let capacity = 1;
    for (const term of terms) capacity += term.length;
    const nodeChar = new Uint16Array(capacity);
    const nodeTerm = new Int32Array(capacity).fill(-1);
    const nodeEnd = new Int32Array(capacity);
    const termNode = new Int32Array(terms.length);
    // Inserting sorted strings creates nodes in preorder; `path[d]` is the open node at depth d.
    const path: number[] = [0];
    let count = 1;
    let previous = '';
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!;
      let shared = 0;
      while (
        shared < term.length &&
        shared < previous.length &&
        term.charCodeAt(shared) === previous.charCodeAt(shared)
      )
        shared++;
      // Close the nodes of the previous term below the shared prefix.
      for (let d = path.length - 1; d > shared; d--) nodeEnd[path[d]!] = count;
      path.length = shared + 1;
      for (let d = shared; d < term.length; d++) {
        nodeChar[count] = term.charCodeAt(d);
        path.push(count);
        count++;
      }
      nodeTerm[path[term.length]!] = t;
      termNode[t] = path[term.length]!;
      previous = term;
    }
    for (let d = path.length - 1; d >= 0; d--) nodeEnd[path[d]!] = count;
    this.nodeChar = nodeChar.slice(0, count);
    this.nodeTerm = nodeTerm.slice(0, count);
    this.nodeEnd = nodeEnd.slice(0, count);
    this.termNode = termNode;
    const tabled = [0];
    for (let c = 1; c < this.nodeEnd[0]!; c = this.nodeEnd[c]!) tabled.push(c);
    this.childTable = new Int32Array(tabled.length * TABLE_SLOTS);
    tabled.forEach((node, row) => {
      this.rowOf.set(node, row);
      for (let c = node + 1; c < this.nodeEnd[node]!; c = this.nodeEnd[c]!) {
        const slot = tableSlot(this.nodeChar[c]!);
        if (slot >= 0) this.childTable[row * TABLE_SLOTS + slot] = c;
      }
    });
  }

  get nodeCount(): number {
    return this.nodeTerm.length;
  }

  /** The id of `word` as a whole term, or -1. */
  find(word: string): number {
    const node = this.walk(0, word, 0);
    return node <= 0 ? -1 : this.nodeTerm[node]!;
  }

  /** True when some term starts with `word`. */
  hasPrefix(word: string): boolean {
    return this.walk(0, word, 0) > 0;
  }

  /** Node reached by walking `word` from `node` (the root or a child of it; from character `from` on), or -1. */
  private walk(node: number, word: string, from: number): number {
    const { nodeChar, nodeEnd, childTable } = this;
    let row = this.rowOf.get(node) ?? -1;
    for (let i = from; i < word.length; i++) {
      const ch = word.charCodeAt(i);
      const slot = row >= 0 ? tableSlot(ch) : -1;
      let child: number;
      if (slot >= 0) {
        child = childTable[row * TABLE_SLOTS + slot]!;
        if (child === 0) return -1;
      } else {
        child = node + 1;
        const end = nodeEnd[node]!;
        while (child < end && nodeChar[child] !== ch) child = nodeEnd[child]!;
        if (child >= end) return -1;
      }
      // Only the root's children have tables below the root's.
      row = row === 0 ? (this.rowOf.get(child) ?? -1) : -1;
      node = child;
    }
    return node;
  }

  private recordSlip(node: number, asPrefix: boolean): void {
    if (node <= 0) return;
    const term = this.nodeTerm[node]!;
    if (term >= 0 && this.fullCount < MAX_RESULTS) {
      this.fullTerm[this.fullCount] = term;
      this.fullDistance[this.fullCount++] = 1;
    }
    if (asPrefix && this.prefixCount < MAX_RESULTS) {
      this.prefixNode[this.prefixCount] = node;
      this.prefixDistance[this.prefixCount++] = 1;
    }
  }

  /** Terms exactly one edit away from `query` where the edit involves its first character. */
  private firstLetterSlips(query: string, asPrefix: boolean): void {
    const first = query.charCodeAt(0);
    // Extra first letter typed: "xroland" → "roland".
    this.recordSlip(this.walk(0, query, 1), asPrefix);
    // First two letters swapped: "orland" → "roland".
    if (query.charCodeAt(1) !== first)
      this.recordSlip(this.walk(0, query[1]! + query[0]! + query.slice(2), 0), asPrefix);
    const { nodeChar, nodeEnd } = this;
    for (let c = 1; c < nodeEnd[0]!; c = nodeEnd[c]!) {
      if (nodeChar[c] === first) continue;
      // Wrong first letter: "eoland" → "roland"; missing first letter: "oland" → "roland".
      this.recordSlip(this.walk(c, query, 1), asPrefix);
      this.recordSlip(this.walk(c, query, 0), asPrefix);
    }
  }

  /**
   * Of what search(number, 1, asPrefix ? 0 : -1, anchored) finds, only what a number (digits only) keeps:
   * the number itself, the numbers one digit longer (a digit inserted anywhere: distance 1) and, with
   * `asPrefix`, the number's own node as a prefix hit; in search's order, so callers see the same
   * results. A one- or two-digit number within an edit of every short term costs search a walk over the
   * trie's top levels (0.35 ms in a million products); this is 10 × (length + 1) exact walks.
   */
  searchNumber(number: string, asPrefix: boolean, anchored: boolean): void {
    this.fullCount = 0;
    this.prefixCount = 0;
    const m = number.length;
    if (m === 0 || m > MAX_QUERY_WORD) return;
    const own = this.walk(0, number, 0);
    const found: number[] = own > 0 && this.nodeTerm[own]! >= 0 ? [own] : [];
    const slips: number[] = [];
    for (let at = 0; at <= m; at++) {
      for (let digit = 0; digit <= 9; digit++) {
        const node = this.walk(0, number.slice(0, at) + digit + number.slice(at), 0);
        if (node <= 0 || this.nodeTerm[node]! < 0 || found.includes(node) || slips.includes(node)) continue;
        // An anchored search meets a different first digit only through firstLetterSlips (m ≥ 3), before its walk.
        if (anchored && at === 0 && digit !== number.charCodeAt(0) - 48) {
          if (m >= 3) slips.push(node);
        } else found.push(node);
      }
    }
    // search's stack visits a node before its subtree and later siblings first.
    const { nodeEnd } = this;
    found.sort((a, b) => (a < b ? (b < nodeEnd[a]! ? -1 : 1) : a < nodeEnd[b]! ? 1 : -1));
    for (const node of [...slips.sort((a, b) => a - b), ...found]) {
      this.fullTerm[this.fullCount] = this.nodeTerm[node]!;
      this.fullDistance[this.fullCount++] = node === own ? 0 : 1;
    }
    if (asPrefix && own > 0) {
      this.prefixNode[0] = own;
      this.prefixDistance[0] = 0;
      this.prefixCount = 1;
    }
  }

  /**
   * Finds terms within `maxEdits` of `query` (into fullTerm/fullDistance) and, when `prefixEdits` ≥ 0,
   * the highest nodes whose path is within `prefixEdits` of the whole query (into prefixNode/…).
   * `anchored` walks only below the query's first character (a search over the whole trie visits most
   * of its top levels) and adds the terms one slip of the first character away (wrong, missing, extra or
   * swapped first letter) with exact walks, so a first-letter typo costs one edit, not a full search.
   */
  search(query: string, maxEdits: number, prefixEdits: number, anchored = false): void {
    this.fullCount = 0;
    this.prefixCount = 0;
    const m = Math.min(query.length, MAX_QUERY_WORD);
    if (m === 0) return;
    const q = this.queryCodes;
    for (let i = 0; i < m; i++) q[i] = query.charCodeAt(i);
    const width = m + 1;
    const rows = this.rows;
    for (let i = 0; i <= m; i++) rows[i] = i;
    const bound = Math.max(maxEdits, prefixEdits);
    const { nodeChar, nodeTerm, nodeEnd, stack, stackDepth, pathChar, pathBestPrefix } = this;
    pathBestPrefix[0] = 0x7fffffff;
    let top = 0;
    // Push the root's children.
    for (let c = 1; c < nodeEnd[0]!; c = nodeEnd[c]!) {
      if (anchored && nodeChar[c] !== q[0]) continue;
      stack[top] = c;
      stackDepth[top++] = 1;
    }
    if (anchored && maxEdits >= 1 && m >= 3) this.firstLetterSlips(query, prefixEdits >= 1);
    while (top > 0) {
      const node = stack[--top]!;
      const depth = stackDepth[top]!;
      const ch = nodeChar[node]!;
      pathChar[depth] = ch;
      const row = depth * width;
      const above = row - width;
      const above2 = row - 2 * width;
      rows[row] = depth;
      // Only cells within `bound` of the diagonal can hold a distance ≤ bound (Ukkonen's band); the
      // cells just outside it are set past the bound, so the band's neighbours read them as too far.
      const lo = Math.max(depth - bound, 1);
      const hi = Math.min(depth + bound, m);
      if (lo > 1 && lo <= hi + 1) rows[row + lo - 1] = bound + 1;
      if (hi < m) rows[row + hi + 1] = bound + 1;
      let rowMin = lo === 1 ? depth : bound + 1;
      for (let i = lo; i <= hi; i++) {
        const qc = q[i - 1]!;
        let v = rows[above + i - 1]! + (qc === ch ? 0 : 1);
        const del = rows[above + i]! + 1;
        if (del < v) v = del;
        const ins = rows[row + i - 1]! + 1;
        if (ins < v) v = ins;
        if (i > 1 && depth > 1 && qc === pathChar[depth - 1] && q[i - 2] === ch) {
          const tr = rows[above2 + i - 2]! + 1;
          if (tr < v) v = tr;
        }
        rows[row + i] = v;
        if (v < rowMin) rowMin = v;
      }
      const distance = lo <= m && m <= hi ? rows[row + m]! : bound + 1;
      const term = nodeTerm[node]!;
      if (term >= 0 && distance <= maxEdits && this.fullCount < MAX_RESULTS) {
        this.fullTerm[this.fullCount] = term;
        this.fullDistance[this.fullCount++] = distance;
      }
      pathBestPrefix[depth] = pathBestPrefix[depth - 1]!;
      if (distance <= prefixEdits && distance < pathBestPrefix[depth]! && this.prefixCount < MAX_RESULTS) {
        this.prefixNode[this.prefixCount] = node;
        this.prefixDistance[this.prefixCount++] = distance;
        pathBestPrefix[depth] = distance;
        // Everything below is a completion at distance 0 already; only whole-word matches remain to find.
        if (distance === 0 && maxEdits <= 0) continue;
      }
      if (rowMin > bound || depth >= MAX_TERM_LENGTH) continue;
      for (let c = node + 1; c < nodeEnd[node]! && top < stack.length; c = nodeEnd[c]!) {
        stack[top] = c;
        stackDepth[top++] = depth + 1;
      }
    }
  }
}
