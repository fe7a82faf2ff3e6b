/** Small display helpers, kept pure so they are tested without a DOM. */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function percent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

/** A prediction's confidence: never shown as certain, since a calibrated 0.999 is still a guess ("99%"). */
export function confidencePercent(confidence: number): string {
  return `${Math.min(99, Math.round(Math.max(0, confidence) * 100))}%`;
}

/**
 * How a product is named in one line. Catalog names often start with the maker already ("Roland TR-8S"
 * under the brand "Roland Commercial"): prefixing the brand again would read "Roland Commercial Roland
 * TR-8S", so the brand is only added when the name does not already begin with its first word.
 */
export function productTitle({ brand, name }: { brand: string; name: string }): string {
  const maker = brand.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!maker || name.toLowerCase().startsWith(`${maker} `) || name.toLowerCase() === maker) return name;
  return `${brand.trim()} ${name}`;
}

/** A server message shown to a person: capital first letter, closing full stop. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}${/[.!?…]$/.test(trimmed) ? '' : '.'}`;
}

/** Where a citation points: the lead serves manuals at GET /manuals/:productId.pdf; #page= opens the page. */
export function manualPageUrl(productId: string, page?: number): string {
  const base = `/manuals/${encodeURIComponent(productId)}.pdf`;
  return page === undefined ? base : `${base}#page=${page}`;
}

/** Only http(s) images from the catalog are shown; anything else (javascript:, data:) is ignored. */
export function safeImageUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

/**
 * A language model's page references ("[p. 5]", as the server asks it to cite) become Markdown links to
 * that manual page, so the reader can check a step where it is made. One already written as a link is
 * left alone.
 */
export function linkPageReferences(markdown: string, pageUrl: (page: number) => string): string {
  return markdown.replace(/\[(p\.|page)\s?(\d{1,5})\](?!\()/gi, (_all, word: string, page: string) => {
    return `[${word} ${page}](${pageUrl(Number(page))})`;
  });
}

/** The search box's example: a product the bundled catalog carries (a test checks it). */
export const SEARCH_EXAMPLE = 'Roland TR-8S';

/**
 * Below this confidence the best match is weak: the UI says "We couldn't find that model" and Enter
 * picks nothing. The server's finder uses the same line (NOT_FOUND_BELOW in app/core/prediction/finder.ts).
 */
export const WEAK_MATCH_BELOW = 0.5;

/** The carried brands to suggest when nothing matches well: those of the weak matches, best first. */
export function closestBrands(items: readonly { brand: string }[], max = 3): string[] {
  return [...new Set(items.map((i) => i.brand))].slice(0, max);
}

/**
 * Where the typed words appear in a product's name, as [start, end) ranges of `text`, to highlight:
 * each typed word (letters and digits, case and punctuation aside) at its first place in the name, or
 * as much of its start as the name holds (the word being typed). "mpc live 3" in "MPC Live III" marks
 * "MPC" and "Live"; "tr8s" in "Roland TR-8S" marks "TR-8S".
 */
export function highlightRanges(text: string, query: string): [number, number][] {
  // The name's letters and digits, folded, with where each sits in `text`.
  const positions: number[] = [];
  let folded = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!.toLowerCase();
    if (/[\p{L}\p{N}]/u.test(ch) && ch.length === 1) {
      folded += ch;
      positions.push(i);
    }
  }
  const marked = new Array<boolean>(folded.length).fill(false);
  for (const word of query.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    for (let length = word.length; length >= Math.min(2, word.length) && length > 0; length--) {
      const at = folded.indexOf(word.slice(0, length));
      if (at < 0) continue;
      for (let k = at; k < at + length; k++) marked[k] = true;
      break;
    }
  }
  const ranges: [number, number][] = [];
  for (let k = 0; k < folded.length; k++) {
    if (!marked[k]) continue;
    const start = positions[k]!;
    let end = start + 1;
    // One range runs on through punctuation inside a word ("TR-8S"), never across a space.
    while (k + 1 < folded.length && marked[k + 1] && !/\s/.test(text.slice(end, positions[k + 1]))) {
      end = positions[++k]! + 1;
    }
    ranges.push([start, end]);
  }
  return ranges;
}
