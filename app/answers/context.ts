/**
 * Retrieval for an answer: the best-ranked chunks, plus the chunks around the best one. A procedure
 * often runs past the chunk that matched (the remaining steps, the warning after them, the next page
 * when it crossed a page break) and its section may state cautions before it; the model decides which
 * of these sentences belong to the answer, so it must see them.
 */
import type { ManualIndexStore, RetrievedChunk } from '../manuals/index-store.js';

/** Chunks read on each side of the best match. */
export const CONTEXT_CHUNKS = 2;

export async function retrieveWithContext(
  store: Pick<ManualIndexStore, 'search' | 'around'>,
  manualId: string,
  question: string,
  limit: number,
): Promise<RetrievedChunk[]> {
  const found = await store.search(manualId, question, limit);
  const top = found[0];
  if (!top) return found;
  const near = await store.around(manualId, top.ord - CONTEXT_CHUNKS, top.ord + CONTEXT_CHUNKS);
  const have = new Set(found.map((c) => c.ord));
  return [...found, ...near.filter((c) => !have.has(c.ord))];
}
