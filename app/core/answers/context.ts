/**
 * Retrieval for an answer: the best-ranked chunks, plus the chunks around the best one. A procedure
 * often runs past the chunk that matched (the remaining steps, the warning after them, the next page
 * when it crossed a page break) and its section may state cautions before it; the model decides which
 * of these sentences belong to the answer, so it must see them.
 */
import type { ManualIndexStore, RetrievedChunk } from '../manuals/index-store.js';
import { terms } from './terms.js';

/** A name token that identifies a model ("SPD-SX", "TR-8S", "MPC", "II"), not a common word. */
const MODEL_CODE = /\d|-|^\p{Lu}{2,}$/u;

/**
 * The question without the product's maker and model code ("How do I reset the SPD-SX?" → "How do I
 * reset the ?"). The manual is already that product's: its name says nothing about which passage
 * answers, and it is rare in the manual, so it would outweigh the words that do ("reset").
 */
export function withoutProductName(question: string, product: { brand: string; name: string } | undefined): string {
  if (!product) return question;
  const naming = new Set(
    [...product.brand.split(/\s+/), ...product.name.split(/\s+/).filter((token) => MODEL_CODE.test(token))].flatMap(
      (token) => terms(token),
    ),
  );
  const kept = question.split(/\s+/).filter((word) => {
    const own = terms(word);
    return own.length === 0 || !own.every((t) => naming.has(t));
  });
  return kept.length > 0 ? kept.join(' ') : question;
}

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
