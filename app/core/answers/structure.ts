/**
 * An answer's structure for protocol v5 (`answer_done.structure`): the procedure's intro, its steps
 * with the manual's numbering, and its cautions by kind, each as plain text. Sanitized here, on the
 * server, where the source is known: manual text is data, so Markdown link and image syntax, raw URLs
 * in angle brackets and control characters are reduced to their words; the client renders text only.
 */
import type { AnswerStructure } from '../../shared/protocol.js';
import { cautionLabel, STEP_MARKER } from '../manuals/chunk.js';
import { isCaution, roleOf } from './procedure.js';

type CautionKind = AnswerStructure['cautions'][number]['kind'];

const KIND_OF_LABEL: Record<string, CautionKind> = {
  DANGER: 'danger',
  WARNING: 'warning',
  CAUTION: 'caution',
  IMPORTANT: 'important',
  NOTICE: 'important',
  ATTENTION: 'important',
  NOTE: 'note',
  NOTES: 'note',
  TIP: 'note',
  HINT: 'note',
};

/** Manual text as plain text: no Markdown images or links, no autolinks, no control characters. */
export function plainText(text: string): string {
  return (
    text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<((?:https?|ftp|mailto|javascript|data):[^>]*)>/gi, '$1')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * The structure of a procedure answer from its parts in manual order: whole paragraphs where the manual
 * numbered or labelled them, single sentences where it wrote the procedure as prose. With numbered
 * steps, what comes before the first one is the intro; in prose, the sentences that instruct are the
 * steps and the rest before them the intro.
 */
export function structureOf(parts: readonly { text: string; page: number }[]): AnswerStructure {
  const out: AnswerStructure = { steps: [], cautions: [] };
  const intro: string[] = [];
  const numbered = parts.some((p) => STEP_MARKER.test(p.text));
  for (const { text: raw, page } of parts) {
    const text = plainText(raw);
    const labelled = cautionLabel(text);
    const marker = STEP_MARKER.exec(text)?.[0];
    const role = roleOf(text);
    if (labelled) out.cautions.push({ kind: KIND_OF_LABEL[labelled.label] ?? 'note', text: labelled.rest, page });
    else if (marker) out.steps.push({ text: text.slice(marker.length).trim(), page, marker });
    else if (out.steps.length === 0 && (numbered || role !== 'step')) {
      // A sentence that warns ("Everything you saved is erased, so back up first") is a caution even when
      // the manual wrote it as prose, and even before the intro; a purpose ("To reset it: …") is the intro.
      if (role === 'caution' || (isCaution(text) && role !== 'purpose'))
        out.cautions.push({ kind: 'caution', text, page });
      else intro.push(text);
    } else if (isCaution(text) && role !== 'step') out.cautions.push({ kind: 'caution', text, page });
    else out.steps.push({ text, page });
  }
  if (intro.length > 0) out.intro = intro.join(' ');
  return out;
}
