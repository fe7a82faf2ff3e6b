/** Small display helpers, kept pure so they are tested without a DOM. */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function percent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
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
