/** Small display helpers, kept pure so they are tested without a DOM. */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function percent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
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
