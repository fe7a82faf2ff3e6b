/**
 * How much one manual may grow into, from the size of its PDF. A PDF's pages may all point at one
 * compressed content stream, so a few hundred kilobytes can decompress into thousands of pages and
 * tens of megabytes of text (issue #24, finding 4): without bounds relative to the file, one such
 * manual holds the extractor, the chunker and the database for everyone. Each bound fails the manual
 * for good, with a reason the customer reads in the `manual` frame.
 */
import { ManualExtractError } from './errors.js';

export interface ManualBoundsSettings {
  pagesPerMb: number;
  /** MiB of text per MiB of PDF. */
  textPerMb: number;
  chunksPerMb: number;
}

export interface ManualBounds {
  maxPages: number;
  maxTextBytes: number;
  maxChunks: number;
}

const MiB = 1024 * 1024;
/** The extractor's own ceiling, whatever the file's size. */
export const MAX_TEXT_BYTES = 32 * MiB;

export const BOUNDS_DEFAULTS: ManualBoundsSettings = { pagesPerMb: 1000, textPerMb: 8, chunksPerMb: 5000 };

/** The bounds for a PDF of `pdfBytes`, counted as at least 1 MiB so a small manual is never refused for being small. */
export function boundsFor(pdfBytes: number, settings: ManualBoundsSettings = BOUNDS_DEFAULTS): ManualBounds {
  const mb = Math.max(1, pdfBytes / MiB);
  return {
    maxPages: Math.floor(settings.pagesPerMb * mb),
    maxTextBytes: Math.min(MAX_TEXT_BYTES, Math.floor(settings.textPerMb * mb * MiB)),
    maxChunks: Math.floor(settings.chunksPerMb * mb),
  };
}

const sizeOf = (bytes: number) =>
  bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export function tooManyPages(pdfBytes: number, maxPages: number): ManualExtractError {
  return new ManualExtractError(
    'too_many_pages',
    `the manual has more than ${maxPages} pages for a ${sizeOf(pdfBytes)} file, which is refused (its pages may repeat one compressed stream)`,
    true,
  );
}

export function tooMuchText(pdfBytes: number, maxTextBytes: number): ManualExtractError {
  return new ManualExtractError(
    'too_much_text',
    `the manual produced more than ${sizeOf(maxTextBytes)} of text for a ${sizeOf(pdfBytes)} file, which is refused`,
    true,
  );
}

export function tooManyChunks(pdfBytes: number, maxChunks: number): ManualExtractError {
  return new ManualExtractError(
    'too_many_chunks',
    `the manual's text makes more than ${maxChunks} search passages for a ${sizeOf(pdfBytes)} file, which is refused`,
    true,
  );
}
